package tcpestats.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tcpestats.support.Await;
import tcpestats.support.KernelRequired;
import tcpestats.support.LoopbackConnection;
import tcpestats.support.Processes;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Notifications to a real snmptrapd, control scalars set over SNMP, retention of closed rows, a restart. */
@ExtendWith(KernelRequired.class)
class LifecycleEndToEndIT {
    private static final String CONNECT_ID = "1.3.6.1.2.1.156.1.1.2.1.1.";
    private static final String CONNECTION_STATE = "1.3.6.1.2.1.6.19.1.7.";
    private static final String HC_OCTETS_OUT = "1.3.6.1.2.1.156.1.1.3.1.4.";
    private static final InetAddress LO;

    static {
        try {
            LO = InetAddress.getByName("127.0.0.1");
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Notifications of {@code type} received for the socket with these ports. */
    private static long count(TrapReceiver traps, String type, int localPort, int remotePort) throws Exception {
        Matcher m = Pattern.compile(type + "\\s+TCP-ESTATS-MIB::tcpEStatsConnectIndex\\.ipv4\\.\"127\\.0\\.0\\.1\"\\."
                + localPort + "\\.ipv4\\.\"127\\.0\\.0\\.1\"\\." + remotePort + " = ").matcher(traps.text());
        long n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Opens a loopback connection, sends {@code bytes} and closes it; returns {client port, server port}. */
    private static int[] connectAndClose(int bytes) throws Exception {
        try (LoopbackConnection c = new LoopbackConnection(LO, bytes)) {
            return new int[]{c.clientPort(), c.serverPort()};
        }
    }

    @Test
    void establishAndCloseNotificationsReachSnmptrapdAsV2cAndV3Traps(@TempDir Path dir) throws Exception {
        int trapPort = AgentProcess.freeUdpPort();
        try (AgentProcess agent = AgentProcess.start(dir, "public", "rocommunity public 127.0.0.1",
                "tcpEStatsControlNotify true", "trap2sink 127.0.0.1:" + trapPort + " public",
                "trapsess -v 3 -u trapuser -l authPriv -a SHA-256 -A trappass12 -x AES -X trappass12 127.0.0.1:"
                        + trapPort)) {
            String engine = agent.snmp("snmpget", "public", "-Ovq", "-Ox", "1.3.6.1.6.3.10.2.1.1.0").stdout()
                    .replaceAll("[\\s\"]", "");
            try (TrapReceiver traps = new TrapReceiver(Files.createDirectories(dir.resolve("trapd")), trapPort,
                    engine)) {
                int[] p = connectAndClose(1000);
                // one establish and one close per socket and target: SNMPv2c and SNMPv3 authPriv; SNMP4J
                // sends each from its worker pool, so an establish may arrive after a close
                Await.upTo(Duration.ofSeconds(5), () -> count(traps, "tcpEStatsEstablishNotification", p[0], p[1]) == 2
                        && count(traps, "tcpEStatsEstablishNotification", p[1], p[0]) == 2
                        && count(traps, "tcpEStatsCloseNotification", p[0], p[1]) == 2
                        && count(traps, "tcpEStatsCloseNotification", p[1], p[0]) == 2);
                String log = Files.readString(traps.log);
                for (int[] ends : new int[][]{{p[0], p[1]}, {p[1], p[0]}}) {
                    assertEquals(2, count(traps, "tcpEStatsEstablishNotification", ends[0], ends[1]), log);
                    assertEquals(2, count(traps, "tcpEStatsCloseNotification", ends[0], ends[1]), log);
                }
            }
            assertEquals(0, agent.stop());
        }
    }

    @Test
    void notificationsFollowTcpEStatsControlNotifySetOverSnmp(@TempDir Path dir) throws Exception {
        int trapPort = AgentProcess.freeUdpPort();
        try (AgentProcess agent = AgentProcess.start(dir, "public", "rocommunity public 127.0.0.1",
                "rwcommunity private 127.0.0.1", "trap2sink 127.0.0.1:" + trapPort + " public");
             TrapReceiver traps = new TrapReceiver(Files.createDirectories(dir.resolve("trapd")), trapPort, null)) {
            int[] quiet = connectAndClose(100);
            Thread.sleep(1500);
            assertEquals(0, count(traps, "tcpEStatsEstablishNotification", quiet[0], quiet[1]),
                    "tcpEStatsControlNotify is false: nothing is sent");
            Processes.Result set = Processes.run(List.of("snmpset", "-v2c", "-c", "private", "127.0.0.1:" + agent.port,
                    "1.3.6.1.2.1.156.1.2.5.0", "i", "1"), 10);
            assertEquals(0, set.exitCode(), set.stdout() + set.stderr());
            Processes.Result bad = Processes.run(List.of("snmpset", "-v2c", "-c", "private", "127.0.0.1:" + agent.port,
                    "1.3.6.1.2.1.156.1.2.5.0", "i", "7"), 10);
            assertTrue(bad.stderr().contains("wrongValue"), "a TruthValue is 1 or 2: " + bad.stderr());
            int[] loud = connectAndClose(100);
            Await.upTo(Duration.ofSeconds(5), () -> count(traps, "tcpEStatsEstablishNotification", loud[0], loud[1]) == 1
                    && count(traps, "tcpEStatsCloseNotification", loud[0], loud[1]) == 1);
            assertEquals(1, count(traps, "tcpEStatsEstablishNotification", loud[0], loud[1]));
            assertEquals(1, count(traps, "tcpEStatsCloseNotification", loud[0], loud[1]));
            assertEquals(0, agent.stop());
        }
    }

    @Test
    void theRateLimitHoldsAndCountsWhatItSuppressed(@TempDir Path dir) throws Exception {
        int trapPort = AgentProcess.freeUdpPort();
        try (AgentProcess agent = AgentProcess.start(dir, "public", "rocommunity public 127.0.0.1",
                "tcpEStatsControlNotify true", "estatsNotificationRateLimit 5",
                "trap2sink 127.0.0.1:" + trapPort + " public");
             TrapReceiver traps = new TrapReceiver(Files.createDirectories(dir.resolve("trapd")), trapPort, null)) {
            for (int i = 0; i < 25; i++) {
                connectAndClose(10);
            }
            Thread.sleep(1000);
            assertEquals(0, agent.stop());
            Matcher m = Pattern.compile("notifications: (\\d+) sent, (\\d+) suppressed").matcher(agent.logText());
            assertTrue(m.find(), agent.logText());
            long sent = Long.parseLong(m.group(1));
            long suppressed = Long.parseLong(m.group(2));
            assertTrue(suppressed >= 100 - sent, "100 events: " + sent + " sent, " + suppressed + " suppressed");
            assertTrue(sent <= 5 + 5 * 3, "at most the burst plus 5 a second: " + sent);
            assertTrue(agent.logText().contains("notification rate limit (5/s)"), agent.logText());
            Callable<Long> received = () -> Files.readString(traps.log).lines()
                    .filter(l -> l.contains("tcpEStatsEstablishNotification") || l.contains("tcpEStatsCloseNotification"))
                    .count();
            // snmptrapd writes what it received when it gets to it (a busy host delays it)
            Await.upTo(Duration.ofSeconds(5), () -> received.call() == sent);
            assertEquals(sent, received.call(), "every notification sent arrived");
        }
    }

    @Test
    void aClosedConnectionStaysWalkableForTheLatencyWithItsFinalValues(@TempDir Path dir) throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir, "public", "rocommunity public 127.0.0.1",
                "tcpEStatsConnTableLatency 3", "estatsSnapshotMaxAge 100")) {
            int[] p = connectAndClose(123_456);
            long closed = System.nanoTime();
            String tuple = "1.4.127.0.0.1." + p[0] + ".1.4.127.0.0.1." + p[1];
            // the agent has seen the close once the row reads closed(1) (a retained row)
            Await.until("the row of the closed connection reads closed", Duration.ofSeconds(5), () -> {
                String state = agent.snmp("snmpget", "public", CONNECTION_STATE + tuple).stdout();
                return state.contains("INTEGER: 1") ? null : state;
            });
            Processes.Result id = agent.snmp("snmpget", "public", CONNECT_ID + tuple);
            Matcher m = Pattern.compile("Gauge32: (\\d+)").matcher(id.stdout());
            assertTrue(m.find(), "the closed connection is still in tcpEStatsConnectIdTable: " + id.stdout());
            Processes.Result octets = agent.snmp("snmpget", "public", HC_OCTETS_OUT + m.group(1));
            assertTrue(octets.stdout().contains("Counter64: 123456"), "its final values: " + octets.stdout());
            Await.until("the row goes after the latency", Duration.ofSeconds(10), () -> {
                String gone = agent.snmp("snmpget", "public", CONNECT_ID + tuple).stdout();
                return gone.contains("No Such Instance") ? null : gone;
            });
            double stayed = (System.nanoTime() - closed) / 1e9;
            assertTrue(stayed >= 2.9, "tcpEStatsConnTableLatency 3, but the row went after " + stayed + " s");
            assertEquals(0, agent.stop());
        }
    }

    @Test
    void aRestartedAgentShowsEveryLiveConnectionAgain(@TempDir Path dir) throws Exception {
        try (LoopbackConnection c = new LoopbackConnection(LO, 4242)) {
            String tuple = "1.4.127.0.0.1." + c.clientPort() + ".1.4.127.0.0.1." + c.serverPort();
            try (AgentProcess first = AgentProcess.start(dir, "public", "rocommunity public 127.0.0.1")) {
                assertTrue(first.snmp("snmpget", "public", CONNECT_ID + tuple).stdout().contains("Gauge32"));
                first.kill();
            }
            Path again = Files.createDirectories(dir.resolve("again"));
            try (AgentProcess second = AgentProcess.start(again, "public", "rocommunity public 127.0.0.1")) {
                Processes.Result r = second.snmp("snmpget", "public", CONNECT_ID + tuple);
                assertTrue(r.stdout().contains("Gauge32"), "adopted again after a kill -9: " + r.stdout());
                assertFalse(r.stdout().contains("No Such"), r.stdout());
                assertEquals(0, second.stop());
            }
        }
    }
}
