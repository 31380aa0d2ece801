package tcpestats.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.config.Configurator;
import org.snmp4j.log.LogFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tcpestats.bpf.BpfException;
import tcpestats.collect.Cgroups;
import tcpestats.collect.KernelCollector;
import tcpestats.collect.ProcessTable;
import tcpestats.config.AgentConfig;
import tcpestats.config.ConfigException;
import tcpestats.config.ConfigParser;
import tcpestats.mib.MibModuleWriter;
import tcpestats.mib.VariablesDoc;
import tcpestats.snmp.ConnectionTuner;
import tcpestats.agent.EstatsAgent;
import tcpestats.snmp4j.Snmp4jLog4j;
import tcpestats.store.EstatsControls;
import tcpestats.store.EstatsStore;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;

/** The command line: {@code run} the agent, {@code check} the host. */
@Command(name = "estats-agent", mixinStandardHelpOptions = true,
        description = "SNMP agent for the RFC 4898 TCP Extended Statistics MIB, collected with eBPF.",
        subcommands = {Main.Run.class, Main.Check.class, Main.Mib.class, Main.Variables.class})
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_CONFIG = 2;

    public static void main(String[] args) {
        // SNMP4J keeps its loggers in static fields: install the bridge before any SNMP4J class loads
        LogFactory.setLogFactory(new Snmp4jLog4j());
        int code = new CommandLine(new Main()).execute(args);
        LogManager.shutdown();
        System.exit(code);
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run the agent in the foreground until SIGTERM or SIGINT.")
    static final class Run implements Callable<Integer> {
        private static final Logger LOG = LogManager.getLogger(Run.class);
        private static final long REPAIR_SECONDS = 5;

        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
                description = "configuration file (snmpd.conf directives, see conf/estats-agent.conf)")
        Path config;

        @Option(names = {"-v", "--verbose"}, description = "log debug messages (libbpf, SNMP4J, kernel passes)")
        boolean verbose;

        @Override
        public Integer call() {
            if (verbose) {
                Configurator.setRootLevel(Level.DEBUG);
            }
            AgentConfig cfg;
            try {
                cfg = ConfigParser.parse(config);
            } catch (ConfigException e) {
                System.err.println("estats-agent: " + e.getMessage());
                return EXIT_CONFIG;
            }
            Path cgroup = Cgroups.cgroup2Root(Path.of("/proc/self/mountinfo")).orElse(null);
            if (cgroup == null) {
                System.err.println("estats-agent: no cgroup v2 mount found; mount one "
                        + "(mount -t cgroup2 none /sys/fs/cgroup/unified) or see: estats-agent check");
                return EXIT_FAILURE;
            }
            HostCheck.Finding privileges = HostCheck.privileges();
            if (!privileges.ok()) {
                // before libbpf tries and logs its own guesses
                System.err.println("estats-agent: " + privileges.detail() + " (see: estats-agent check)");
                return EXIT_FAILURE;
            }
            CountDownLatch stop = new CountDownLatch(1);
            for (String signal : List.of("TERM", "INT")) {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> stop.countDown());
            }
            try (KernelCollector collector = KernelCollector.start(cgroup, cfg.eventBufferBytes())) {
                ProcessTable processes = new ProcessTable(Path.of("/proc"), TimeUnit.SECONDS.toNanos(2));
                EstatsStore store = new EstatsStore(collector::pass, processes::pidOf);
                EstatsControls controls = new EstatsControls(cfg.controlsOn(), cfg.connTableLatency());
                controls.listen(c -> collector.setControls(c.on()));
                store.retainClosedFor(controls::connTableLatencySeconds);
                collector.startEvents(store::onEvent);
                // a pass at least every few seconds finds what a missed event did not say
                var repair = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                        r -> Thread.ofPlatform().daemon().name("estats-repair").unstarted(r));
                repair.scheduleWithFixedDelay(() -> {
                    try {
                        store.snapshot(TimeUnit.SECONDS.toNanos(REPAIR_SECONDS));
                    } catch (RuntimeException e) {
                        LOG.warn("kernel pass failed: {}", e.getMessage());
                    }
                }, REPAIR_SECONDS, REPAIR_SECONDS, TimeUnit.SECONDS);
                // at most one warning a minute about tracepoint runs the kernel skipped
                repair.scheduleWithFixedDelay(() -> {
                    try {
                        collector.warnOfSkippedRuns();
                    } catch (RuntimeException e) {
                        LOG.warn("cannot read the programs' skipped runs: {}", e.getMessage());
                    }
                }, 1, 1, TimeUnit.MINUTES);
                ConnectionTuner tuner = new ConnectionTuner() {
                    @Override
                    public Integer apply(long netns, long cookie, long cwnd, long window) {
                        KernelCollector.TuneResult r = collector.applyTune(netns, cookie, cwnd, window);
                        return !r.found() ? null : r.cwndRc() != 0 ? Integer.valueOf(r.cwndRc())
                                : Integer.valueOf(r.windowRc());
                    }

                    @Override
                    public boolean reaches(long netns) {
                        return netns == collector.ownNetns() || collector.listsOtherNamespacesWhole();
                    }
                };
                try (EstatsAgent agent = EstatsAgent.start(cfg, store, controls, tuner,
                        collector.features(), collector.ownNetns())) {
                    LOG.info("tcp-estats-agent running");
                    stop.await();
                    LOG.info("stopping");
                } finally {
                    repair.shutdownNow();
                    LOG.info("lifecycle events: {} from the ring buffer, {} from the spill map, {} lost in the kernel; "
                                    + "{} establishments or closes found by kernel passes instead; "
                                    + "tracepoint runs skipped by the kernel: {}",
                            collector.eventsConsumed(), collector.eventsRecovered(), collector.eventsDropped(),
                            store.repairs(), collector.tracepointRunsSkipped());
                }
            } catch (BpfException e) {
                System.err.println("estats-agent: " + e.getMessage()
                        + (e.permissionDenied() ? "; run as root or with CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN" : "")
                        + " (see: estats-agent check)");
                return EXIT_FAILURE;
            } catch (EstatsAgent.AgentStartException e) {
                System.err.println("estats-agent: " + e.getMessage());
                return EXIT_FAILURE;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.info("stopped");
            return EXIT_OK;
        }
    }

    @Command(name = "mib", mixinStandardHelpOptions = true,
            description = "Print the TCP-ESTATS-MIB module this agent serves (for an NMS or net-snmp's MIB directory).")
    static final class Mib implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.print(MibModuleWriter.write());
            return EXIT_OK;
        }
    }

    @Command(name = "variables", mixinStandardHelpOptions = true,
            description = "Print docs/variables.md: every object, where Linux gets it, and the test that proves it.")
    static final class Variables implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.print(VariablesDoc.write());
            return EXIT_OK;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Say whether this host can run the agent, and what to do if not.")
    static final class Check implements Callable<Integer> {
        @Override
        public Integer call() {
            List<HostCheck.Finding> findings = HostCheck.run();
            findings.forEach(f -> System.out.println(f.line()));
            boolean ok = findings.stream().allMatch(HostCheck.Finding::ok);
            System.out.println(ok ? "this host can run tcp-estats-agent" : "this host cannot run tcp-estats-agent yet");
            return ok ? EXIT_OK : EXIT_FAILURE;
        }
    }
}
