package tcpestats.e2e;

import tcpestats.support.Processes;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** bin/estats-agent started as its own process, as an operator would. */
final class AgentProcess implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("estats.root", "..")).toAbsolutePath().normalize();
    /** The operator's command: bin/estats-agent of this checkout. */
    static final String LAUNCHER = ROOT.resolve("bin/estats-agent").toString();
    private static final Pattern GAUGE = Pattern.compile("= Gauge32: (\\d+)");

    final int port;
    final Path log;
    private final Process process;
    /** What net-snmp commands run under: nothing, or nsenter into the agent's network namespace. */
    private final List<String> clientPrefix;

    private AgentProcess(int port, Path log, Process process, List<String> clientPrefix) {
        this.port = port;
        this.log = log;
        this.process = process;
        this.clientPrefix = clientPrefix;
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    static ProcessBuilder command(String... args) {
        return command(List.of(LAUNCHER), args);
    }

    /** {@code launcher} ARGS: bin/estats-agent, or another way to start the agent's jar. */
    static ProcessBuilder command(List<String> launcher, String... args) {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return pb;
    }

    /** Starts the agent with {@code configLines} (agentAddress is added) and waits until it answers. */
    static AgentProcess start(Path dir, String community, String... configLines) throws Exception {
        return start(List.of(LAUNCHER), dir, community, configLines);
    }

    /** {@link #start(List, Path, List, List)} with bin/estats-agent. */
    static AgentProcess start(Path dir, List<String> probe, List<String> configLines) throws Exception {
        return start(List.of(LAUNCHER), dir, probe, configLines);
    }

    /** {@link #start(Path, String, String...)} with another {@code launcher}. */
    static AgentProcess start(List<String> launcher, Path dir, String community, String... configLines)
            throws Exception {
        return start(launcher, dir, List.of("-v2c", "-c", community), List.of(configLines));
    }

    /**
     * Starts the agent with {@code configLines} (agentAddress is added) and waits until it answers a request
     * made with the net-snmp security options {@code probe} (e.g. -v3 -l authPriv -u ...).
     */
    static AgentProcess start(List<String> launcher, Path dir, List<String> probe, List<String> configLines)
            throws Exception {
        return start(launcher, List.of(), dir, probe, configLines);
    }

    /**
     * The agent in network namespace {@code ns}, which it sees alone; requests are made from inside it.
     * nsenter changes only the network namespace (ip netns exec would also remount /sys, and with it
     * the cgroup2 mount the agent attaches to).
     */
    static AgentProcess startInNamespace(String ns, Path dir, String community, String... configLines)
            throws Exception {
        List<String> inNs = List.of("nsenter", "--net=/run/netns/" + ns);
        List<String> launcher = new ArrayList<>(inNs);
        launcher.add(LAUNCHER);
        return start(launcher, inNs, dir, List.of("-v2c", "-c", community), List.of(configLines));
    }

    private static AgentProcess start(List<String> launcher, List<String> clientPrefix, Path dir, List<String> probe,
                                      List<String> configLines) throws Exception {
        int port = freeUdpPort();
        Path config = dir.resolve("estats-agent.conf");
        List<String> lines = new ArrayList<>(List.of("agentAddress udp:127.0.0.1:" + port));
        lines.addAll(configLines);
        Files.write(config, lines);
        Path log = dir.resolve("agent.log");
        Process p = command(launcher, "run", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AgentProcess agent = new AgentProcess(port, log, p, clientPrefix);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("agent exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            if (agent.request("snmpget", probe, "1.3.6.1.2.1.1.1.0").exitCode() == 0) {
                return agent;
            }
            Thread.sleep(200);
        }
        agent.close();
        throw new AssertionError("agent did not answer within 60 s:\n" + Files.readString(log));
    }

    /** Runs a net-snmp command against the agent with numeric OIDs, one try of 2 s. */
    Processes.Result snmp(String tool, String community, String... args) throws IOException, InterruptedException {
        return request(tool, List.of("-v2c", "-c", community), args);
    }

    /** Runs a net-snmp command with the security options {@code security}, numeric OIDs, one try of 2 s. */
    Processes.Result request(String tool, List<String> security, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(clientPrefix);
        cmd.add(tool);
        cmd.addAll(security);
        cmd.addAll(List.of("-On", "-t", "2", "-r", "0", "127.0.0.1:" + port));
        cmd.addAll(List.of(args));
        Processes.Result r = Processes.run(cmd, 120);
        if (r.stderr().contains("Timeout")) {
            // what the agent said meanwhile goes with the failure: the log is deleted with the test's directory
            return new Processes.Result(r.exitCode(), r.stdout(), r.stderr() + "\nthe agent's log, last lines:\n"
                    + logTail(40));
        }
        return r;
    }

    private String logTail(int lines) throws IOException {
        List<String> all = Files.readAllLines(log);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /**
     * tcpEStatsConnectIndex of the IPv4 connection with these ends, from tcpEStatsConnectIdTable.
     * A new connection shows once the snapshot in use is replaced: within estatsSnapshotMaxAge.
     */
    String connectIndex(InetAddress local, int localPort, InetAddress remote, int remotePort) throws Exception {
        String oid = "1.3.6.1.2.1.156.1.1.2.1.1.1.4." + local.getHostAddress() + "." + localPort + ".1.4."
                + remote.getHostAddress() + "." + remotePort;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (true) {
            Processes.Result r = snmp("snmpget", "public", oid);
            Matcher m = GAUGE.matcher(r.stdout());
            if (m.find()) {
                return m.group(1);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no connect index for " + oid + ": " + r.stdout() + r.stderr());
            }
            Thread.sleep(200);
        }
    }

    /** The agent's JVM: the process that holds its UDP port (a launcher may stand between). */
    long pid() throws Exception {
        String ss = Processes.run(List.of("ss", "-Hlunp", "sport = :" + port), 10).stdout();
        Matcher m = Pattern.compile("pid=(\\d+)").matcher(ss);
        if (!m.find()) {
            throw new AssertionError("no process holds UDP port " + port + ": " + ss);
        }
        return Long.parseLong(m.group(1));
    }

    /** SIGTERM, then the exit code. */
    int stop() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("agent did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** SIGKILL: the kernel closes the agent's descriptors, which detaches its programs. */
    void kill() throws Exception {
        process.destroyForcibly().waitFor();
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }
}
