package tcpestats.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tcpestats.support.Await;
import tcpestats.support.BulkTransfer;
import tcpestats.support.KernelRequired;
import tcpestats.support.LoopbackConnection;
import tcpestats.support.NetnsLab;
import tcpestats.support.Ss;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** monitor rules end to end: a real kernel connection, the agent, and snmptrapd decoding DISMAN-EVENT-MIB. */
@ExtendWith(KernelRequired.class)
class MonitorEndToEndIT {
    private static final String RISING = "DISMAN-EVENT-MIB::mteTriggerRising";
    private static final String FALLING = "DISMAN-EVENT-MIB::mteTriggerFalling";

    @Test
    void lossRaisesOneRisingForTheConnectionAndItsEndOneFalling(@TempDir Path dir) throws Exception {
        int trapPort = AgentProcess.freeUdpPort();
        try (NetnsLab lab = NetnsLab.create("congctl cubic");
             AgentProcess agent = AgentProcess.start(dir, "public", "rocommunity public 127.0.0.1",
                     "trap2sink 127.0.0.1:" + trapPort + " public",
                     "monitor -r 1 -D -o tcpEStatsConnectIndex retrans tcpEStatsPerfSegsRetrans 0 20");
             TrapReceiver traps = new TrapReceiver(Files.createDirectories(dir.resolve("trapd")), trapPort, null)) {
            int port = 26000 + (int) (ProcessHandle.current().pid() % 1000);
            lab.shapeTowardsPeer("100mbit");
            lab.peerNft("table inet loss { chain in { type filter hook prerouting priority -300; "
                    + "tcp dport " + port + " meta length > 200 numgen random mod 100 < 5 drop; }; }");
            lab.startPeer("sink", String.valueOf(port), String.valueOf(1L << 40));
            try (BulkTransfer transfer = new BulkTransfer(lab.peerAddress, port, 1 << 16)) {
                String tuple = "ipv4.\"" + lab.hostAddress.getHostAddress() + "\"." + transfer.localPort() + ".ipv4.\""
                        + lab.peerAddress.getHostAddress() + "\"." + port;
                String index = agent.connectIndex(lab.hostAddress, transfer.localPort(), lab.peerAddress, port);
                String hot = "DISMAN-EVENT-MIB::mteHotOID.0 = OID: TCP-ESTATS-MIB::tcpEStatsPerfSegsRetrans."
                        + index + "\t";
                Await.upTo(Duration.ofSeconds(15), () -> traps.count(RISING, hot) == 1);
                assertEquals(1, traps.count(RISING, hot), "rising under 5% loss: " + traps.text());
                assertEquals(1, traps.count(RISING, hot, "DISMAN-EVENT-MIB::mteHotTrigger.0 = STRING: retrans",
                        "TCP-ESTATS-MIB::tcpEStatsConnectIndex." + tuple + " = Gauge32: " + index), traps.text());
                // the loss goes on: the value stays above MAX, no second rising
                Thread.sleep(3000);
                assertEquals(1, traps.count(RISING, hot), traps.text());
                assertEquals(0, traps.count(FALLING, hot), traps.text());

                lab.peerNftFlush();
                Await.upTo(Duration.ofSeconds(15), () -> traps.count(FALLING, hot) == 1);
                assertEquals(1, traps.count(FALLING, hot), "falling once the loss stopped: " + traps.text());
                assertEquals(1, traps.count(FALLING, hot, "mteHotValue.0 = INTEGER: 0"), traps.text());
                Thread.sleep(3000);
                assertEquals(1, traps.count(FALLING, hot), "one falling, not one per sample: " + traps.text());
                assertEquals(1, traps.count(RISING, hot), traps.text());
                assertEquals(0, agent.stop());
            }
        }
    }

    @Test
    void manyConnectionsFiringAtOnceAreRateLimitedAndCounted(@TempDir Path dir) throws Exception {
        int trapPort = AgentProcess.freeUdpPort();
        int connections = 100;
        int octets = 77_777;
        try (AgentProcess agent = AgentProcess.start(dir, "public", "rocommunity public 127.0.0.1",
                "trap2sink 127.0.0.1:" + trapPort + " public", "estatsMonitorRateLimit 5",
                "monitor -r 1 -o tcpEStatsConnectIndex sent tcpEStatsPerfHCDataOctetsOut == " + octets);
             TrapReceiver traps = new TrapReceiver(Files.createDirectories(dir.resolve("trapd")), trapPort, null)) {
            List<LoopbackConnection> open = new ArrayList<>();
            long start = System.nanoTime();
            long exact = 0;
            try {
                for (int i = 0; i < connections; i++) {
                    open.add(new LoopbackConnection(InetAddress.getLoopbackAddress(), octets));
                }
                Thread.sleep(3000);
                // a busy host's loopback retransmits too, and retransmitted octets count again:
                // the client ends whose HCDataOctetsOut is exactly the octets written, by the kernel
                for (LoopbackConnection c : open) {
                    if (Ss.of(c.clientPort(), c.serverPort()).field("bytes_sent").orElseThrow() == octets) {
                        exact++;
                    }
                }
                assertEquals(0, agent.stop());
            } finally {
                for (LoopbackConnection c : open) {
                    c.close();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Matcher m = Pattern.compile("monitor 'sent': (\\d+) fired, (\\d+) sent, (\\d+) suppressed")
                    .matcher(agent.logText());
            assertTrue(m.find(), agent.logText());
            long fired = Long.parseLong(m.group(1));
            long sent = Long.parseLong(m.group(2));
            long suppressed = Long.parseLong(m.group(3));
            assertTrue(exact > connections / 2, exact + " of " + connections + " sent without retransmitting");
            assertEquals(exact, fired, "each such client end fires once, the other ends never");
            assertEquals(fired, sent + suppressed);
            assertTrue(sent <= 5 + 5 * Math.ceil(seconds), "at most the burst plus 5 a second in " + seconds
                    + " s: " + sent);
            assertTrue(suppressed > 0, agent.logText());
            assertTrue(agent.logText().contains("monitor 'sent' rate limit (5/s)"), agent.logText());
            Await.upTo(Duration.ofSeconds(5), () -> traps.count("DISMAN-EVENT-MIB::mteTriggerFired") == sent);
            assertEquals(sent, traps.count("DISMAN-EVENT-MIB::mteTriggerFired",
                    "mteHotValue.0 = INTEGER: " + octets), "every notification sent arrived: " + traps.text());
        }
    }
}
