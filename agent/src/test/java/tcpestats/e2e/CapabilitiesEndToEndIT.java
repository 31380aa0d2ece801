package tcpestats.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tcpestats.support.KernelRequired;
import tcpestats.support.LoopbackConnection;
import tcpestats.support.Processes;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Least privilege: the agent as user nobody with only the capabilities eBPF collection needs. */
@ExtendWith(KernelRequired.class)
class CapabilitiesEndToEndIT {
    private static final String ALL = "+bpf,+perfmon,+net_admin";
    private static final String NO_BPF = "+perfmon,+net_admin";

    /**
     * The agent's jar run by user nobody, no groups, with {@code caps} inheritable and ambient
     * and nothing else (setpriv). The jar is copied to {@code dir}, which nobody can read: a
     * clone under /root could not be.
     */
    private static List<String> asNobodyWith(String caps, Path dir) throws Exception {
        Path jar = dir.resolve("estats-agent.jar");
        if (!Files.exists(jar)) {
            Files.copy(AgentProcess.ROOT.resolve("agent/target/estats-agent.jar"), jar);
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all," + caps,
                "--ambient-caps=" + caps, "--bounding-set=-all," + caps,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-jar", jar.toString());
    }

    /** JUnit's temporary directory is private to root: open it to nobody. */
    private static Path readableByNobody(Path dir) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    @Test
    void nobodyWithBpfPerfmonAndNetAdminServesTheWalk(@TempDir Path dir) throws Exception {
        try (AgentProcess agent = AgentProcess.start(asNobodyWith(ALL, readableByNobody(dir)), dir, "public",
                "rocommunity public 127.0.0.1");
             LoopbackConnection c = new LoopbackConnection(InetAddress.getLoopbackAddress(), 4321)) {
            String status = Files.readString(Path.of("/proc", String.valueOf(agent.pid()), "status"));
            assertTrue(status.contains("CapEff:\t000000c000001000"), "exactly CAP_NET_ADMIN, CAP_PERFMON, CAP_BPF: "
                    + status);
            Thread.sleep(300);
            String tuple = "1.4.127.0.0.1." + c.clientPort() + ".1.4.127.0.0.1." + c.serverPort();
            Processes.Result walk = agent.snmp("snmpbulkwalk", "public", "1.3.6.1.2.1.156.1.1.2");
            assertTrue(walk.stdout().contains(tuple + " = Gauge32: "), "the connection is served: " + walk.stdout());
            assertEquals(0, agent.stop());
        }
    }

    /**
     * Without CAP_SYS_ADMIN the agent cannot enter other network namespaces: their contexts list
     * the sockets processes hold (the idle connection), not a TIME_WAIT socket, and check says so.
     */
    @Test
    void nobodyServesOtherNamespacesThroughTheSocketsProcessesHold(@TempDir Path dir) throws Exception {
        try (IpNetns ns = new IpNetns()) {
            ns.connection(24001, 24002, 0);
            ns.closedConnection(24003);
            try (AgentProcess agent = AgentProcess.start(asNobodyWith(ALL, readableByNobody(dir)), dir, "public",
                    "rocommunity public 127.0.0.1", "com2sec -Cn " + ns.context() + " pod 127.0.0.1 podsecret",
                    "group pods v2c pod", "view all included .1",
                    "access pods " + ns.context() + " v2c noauth exact all none none")) {
                String held = ".1.4.127.0.0.1.24001.1.4.127.0.0.1.24002 = INTEGER: 5";
                long deadline = System.nanoTime() + 20_000_000_000L;
                Processes.Result walk;
                do {
                    Thread.sleep(500);
                    walk = agent.snmp("snmpbulkwalk", "podsecret", "1.3.6.1.2.1.6.19.1.7");
                } while (!walk.stdout().contains(held) && System.nanoTime() < deadline);
                assertTrue(walk.stdout().contains(held), "the held connection in " + ns.context() + ": " + walk.stdout());
                assertTrue(ns.ssConnections().containsValue("11"), ns.ssConnections().toString());
                assertFalse(walk.stdout().contains("INTEGER: 11"), "no TIME_WAIT without CAP_SYS_ADMIN: "
                        + walk.stdout());
                assertTrue(agent.logText().contains("without CAP_SYS_ADMIN the agent cannot enter them"),
                        agent.logText());
                assertEquals(0, agent.stop());
            }
            Processes.Result check = run(AgentProcess.command(asNobodyWith(ALL, dir), "check"));
            assertTrue(check.stdout().contains("listed through the sockets processes hold there: without "
                    + "CAP_SYS_ADMIN"), check.stdout());
        }
    }

    /** The agent's JVM: the process that holds the agent's UDP port. */
    @Test
    void withoutCapBpfRunAndCheckSayWhatIsMissingInOneLine(@TempDir Path dir) throws Exception {
        Path config = readableByNobody(dir).resolve("estats-agent.conf");
        Files.write(config, List.of("agentAddress udp:127.0.0.1:" + AgentProcess.freeUdpPort(),
                "rocommunity public 127.0.0.1"));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));

        Processes.Result run = run(AgentProcess.command(asNobodyWith(NO_BPF, dir), "run", "--config", config.toString()));
        assertNotEquals(0, run.exitCode());
        List<String> lines = run.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line: " + run.stderr());
        assertTrue(lines.getFirst().startsWith("estats-agent: missing CAP_BPF;"), lines.getFirst());

        Processes.Result check = run(AgentProcess.command(asNobodyWith(NO_BPF, dir), "check"));
        assertEquals(1, check.exitCode(), check.stdout() + check.stderr());
        assertTrue(check.stdout().contains("FAIL  privileges: missing CAP_BPF;"), check.stdout());
    }

    private static Processes.Result run(ProcessBuilder pb) throws Exception {
        return Processes.run(pb.command(), 120);
    }
}
