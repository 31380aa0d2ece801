package tcpestats.collect;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tcpestats.support.Await;
import tcpestats.support.EstatsProbe;
import tcpestats.support.KernelRequired;
import tcpestats.support.NetnsLab;
import tcpestats.support.PacketCapture;
import tcpestats.support.PacketCapture.Segment;
import tcpestats.support.Ss;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Makes TCP do things — lose, reorder and mark segments, time out, read slowly,
 * queue connections — on the real kernel, and watches the counters move. The peer runs
 * in a namespace of its own behind a veth pair; the agent's view is the local end.
 */
@ExtendWith(KernelRequired.class)
class TcpBehaviourTest {
    private static final int MB = 1 << 20;
    private static EstatsProbe probe;

    @BeforeAll
    static void attach() {
        probe = new EstatsProbe();
    }

    @AfterAll
    static void detach() {
        if (probe != null) {
            probe.close();
        }
    }

    private static int port() {
        return ThreadLocalRandom.current().nextInt(20000, 30000);
    }

    /** Connects to the peer's sink and sends {@code bytes}; returns the open socket once the peer has them all. */
    private static Socket sendToSink(NetnsLab lab, int port, int bytes) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(lab.peerAddress, port), 5000);
        s.getOutputStream().write(new byte[bytes]);
        s.setSoTimeout(60_000);
        assertEquals(1, s.getInputStream().read(), "the sink confirms it read everything");
        return s;
    }

    /** Connects to the peer's source and reads everything it sends. */
    private static Socket readFromSource(NetnsLab lab, int port, int bytes) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(lab.peerAddress, port), 5000);
        s.setSoTimeout(60_000);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[65536];
        long read = 0;
        while (read < bytes) {
            int n = in.read(buf);
            if (n < 0) {
                throw new AssertionError("the source closed after " + read + " octets");
            }
            read += n;
        }
        return s;
    }

    private static void assertPositive(Map<String, Long> v, String... names) {
        for (String name : names) {
            assertTrue(v.getOrDefault(name, 0L) > 0, name + " did not move: " + v.get(name) + " in " + new java.util.TreeMap<>(v));
        }
    }

    @Test
    void lossOnTheDataPathMovesRetransmissionCongestionAndSackCounters() throws Exception {
        try (NetnsLab lab = NetnsLab.create("congctl cubic")) {
            int port = port();
            lab.shapeTowardsPeer("200mbit");
            lab.peerNft("table inet loss { chain in { type filter hook prerouting priority -300; "
                    + "tcp dport " + port + " meta length > 200 numgen random mod 100 < 3 drop; }; }");
            lab.startPeer("sink", String.valueOf(port), String.valueOf(8 * MB));
            try (Socket s = sendToSink(lab, port, 8 * MB)) {
                Map<String, Long> v = probe.connection(s.getLocalPort(), port);
                Ss ss = Ss.of(s.getLocalPort(), port);
                // the shaped queue makes round trips last milliseconds, the unit of these objects
                assertPositive(v, "tcpEStatsPathMaxRTT", "tcpEStatsPathSumRTT",
                        "tcpEStatsPathPreCongSumRTT", "tcpEStatsPathPostCongSumRTT", "tcpEStatsPerfSndLimTimeCwnd",
                        "tcpEStatsPerfMaxRwinSent");
                assertTrue(v.get("tcpEStatsPathMinRTT") <= v.get("tcpEStatsPathMaxRTT"));
                assertPositive(v, "tcpEStatsPerfSegsRetrans", "tcpEStatsPerfOctetsRetrans", "tcpEStatsStackFastRetran",
                        "tcpEStatsPerfCongSignals", "tcpEStatsStackDupAcksIn", "tcpEStatsStackSACKsRcvd",
                        "tcpEStatsStackSACKBlocksRcvd", "tcpEStatsPathPreCongSumCwnd", "tcpEStatsPathPostCongCountRTT",
                        "tcpEStatsStackSlowStart", "tcpEStatsStackCongAvoid", "tcpEStatsStackMaxSsthresh",
                        "tcpEStatsStackMinSsthresh", "tcpEStatsStackMaxCaCwnd", "tcpEStatsStackMaxSsCwnd",
                        "tcpEStatsPathCountRTT", "tcpEStatsPathHCSumRTT", "tcpEStatsPerfMaxPipeSize",
                        "tcpEStatsStackMaxRetxQueue", "tcpEStatsPathMaxRTO", "tcpEStatsPathMinRTO");
                assertTrue(v.get("tcpEStatsStackSACKBlocksRcvd") >= v.get("tcpEStatsStackSACKsRcvd"));
                assertTrue(v.get("tcpEStatsStackMinSsthresh") <= v.get("tcpEStatsStackMaxSsthresh"));
                assertEquals(ss.retransTotal(), v.get("tcpEStatsPerfSegsRetrans"), ss.toString());
                assertEquals(ss.field("bytes_retrans").orElseThrow(), v.get("tcpEStatsPerfOctetsRetrans"));
                assertEquals(ss.field("bytes_acked").orElseThrow(), v.get("tcpEStatsAppHCThruOctetsAcked"));
                assertEquals(8L * MB, v.get("tcpEStatsPerfHCDataOctetsOut") - v.get("tcpEStatsPerfOctetsRetrans"));
            }
        }
    }

    @Test
    void theAcceptingEndHasItsHandshakeRttAsSsShowsIt() throws Exception {
        try (NetnsLab lab = NetnsLab.create("congctl cubic");
             ServerSocket server = new ServerSocket()) {
            int sinkPort = port();
            // a bulk flow fills the shaped queue towards the peer: our SYN-ACK waits in it for milliseconds
            lab.shapeTowardsPeer("20mbit");
            lab.startPeer("sink", String.valueOf(sinkPort), String.valueOf(64 * MB));
            Socket bulk = new Socket();
            bulk.connect(new InetSocketAddress(lab.peerAddress, sinkPort), 5000);
            Thread filler = Thread.ofVirtual().start(() -> {
                try {
                    bulk.getOutputStream().write(new byte[64 * MB]);
                } catch (java.io.IOException e) {
                    // closed by the test
                }
            });
            Await.untilTrue("the shaped queue delays the bulk flow's round trips", Duration.ofSeconds(10),
                    () -> Ss.of(bulk.getLocalPort(), sinkPort).decimal("rtt") >= 2);
            server.bind(new InetSocketAddress(lab.hostAddress, 0));
            Process client = new ProcessBuilder("ip", "netns", "exec", lab.namespace, "python3", "-c",
                    "import socket, sys, time\n"
                            + "s = socket.create_connection((sys.argv[1], int(sys.argv[2])))\n"
                            + "s.sendall(b'x' * 100000)\n"
                            + "time.sleep(30)\n",
                    lab.hostAddress.getHostAddress(), String.valueOf(server.getLocalPort())).start();
            try (Socket accepted = server.accept()) {
                InputStream in = accepted.getInputStream();
                byte[] buf = new byte[65536];
                for (int got = 0; got < 100000; ) {
                    got += in.read(buf);
                }
                bulk.close();
                filler.join();
                Map<String, Long> v = probe.connection(server.getLocalPort(), accepted.getPort());
                Ss ss = Ss.of(server.getLocalPort(), accepted.getPort());
                // we sent no data: the handshake is the one RTT measurement, as ss's minrtt and rtt show
                long minRttMs = (long) ss.decimal("minrtt");
                assertTrue(minRttMs >= 2, "the queue delays the SYN-ACK: " + ss);
                assertEquals(1L, v.get("tcpEStatsPathCountRTT"), v + " " + ss);
                assertEquals(minRttMs, v.get("tcpEStatsPathSampleRTT"), ss.toString());
                assertEquals(minRttMs, v.get("tcpEStatsPathMinRTT"), ss.toString());
                assertEquals(minRttMs, v.get("tcpEStatsPathMaxRTT"), ss.toString());
                assertEquals((long) ss.decimal("rtt"), v.get("tcpEStatsPathSumRTT"), ss.toString());
            } finally {
                client.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void lossTowardsUsMovesDupAcksSentAndTheReassemblyQueue() throws Exception {
        try (NetnsLab lab = NetnsLab.create("congctl cubic")) {
            int port = port();
            lab.loseFromPeer(3, port);
            lab.startPeer("source", String.valueOf(port), String.valueOf(8 * MB));
            try (Socket s = readFromSource(lab, port, 8 * MB)) {
                Map<String, Long> v = probe.connection(s.getLocalPort(), port);
                assertPositive(v, "tcpEStatsPathDupAcksOut", "tcpEStatsPathDupAckEpisodes",
                        "tcpEStatsStackMaxReasmQueue", "tcpEStatsAppMaxAppRQueue");
                assertTrue(v.get("tcpEStatsPathDupAcksOut") >= v.get("tcpEStatsPathDupAckEpisodes"));
                assertEquals(64L, v.get("tcpEStatsPathIpTtl"));
                assertEquals(0L, v.get("tcpEStatsPathIpTosIn"));
                assertEquals(8L * MB, v.get("tcpEStatsAppHCThruOctetsReceived"));
                assertTrue(v.get("tcpEStatsPerfHCDataOctetsIn") >= 8L * MB, "every octet arrived at least once");
            }
        }
    }

    @Test
    void lostAcksMakeTheSenderRepeatDataThatWeDropAsSoftErrors() throws Exception {
        try (NetnsLab lab = NetnsLab.create("congctl cubic")) {
            int port = port();
            lab.startPeer("source", String.valueOf(port), String.valueOf(4 * MB));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(lab.peerAddress, port), 5000);
                // the peer loses our ACKs for longer than its RTO: it sends again what we have
                lab.peerNft("table inet ackhole { chain in { type filter hook prerouting priority -300; "
                        + "tcp dport " + port + " drop; }; }");
                Thread.sleep(700);
                lab.peerNftFlush();
                InputStream in = s.getInputStream();
                s.setSoTimeout(30_000);
                byte[] buf = new byte[65536];
                for (long read = 0; read < 4L * MB; ) {
                    read += in.read(buf);
                }
                Map<String, Long> v = probe.connection(s.getLocalPort(), port);
                assertPositive(v, "tcpEStatsStackSoftErrors");
                assertEquals(1L, v.get("tcpEStatsStackSoftErrorReason"), "belowDataWindow: old data");
                assertTrue(v.get("tcpEStatsPerfHCDataOctetsIn") > v.get("tcpEStatsAppHCThruOctetsReceived"),
                        "duplicates count in DataOctetsIn, not in ThruOctetsReceived");
            }
        }
    }

    @Test
    void congestionMarksMoveEcnCounters() throws Exception {
        try (NetnsLab lab = NetnsLab.create("congctl cubic features ecn")) {
            lab.inPeer("sysctl -qw net.ipv4.tcp_ecn=1");
            int toPeer = port();
            int fromPeer = toPeer + 1;
            lab.peerNft("table inet ce { "
                    + "chain in { type filter hook prerouting priority -300; tcp dport " + toPeer
                    + " ip ecn ect0 numgen random mod 100 < 5 ip ecn set ce; }; "
                    + "chain out { type filter hook output priority 0; tcp sport " + fromPeer
                    + " ip ecn ect0 numgen random mod 100 < 5 ip ecn set ce; }; }");
            lab.startPeer("sink", String.valueOf(toPeer), String.valueOf(4 * MB));
            lab.startPeer("source", String.valueOf(fromPeer), String.valueOf(4 * MB));
            try (PacketCapture capture = PacketCapture.start(lab.hostDev, "tcp port " + toPeer + " or tcp port "
                    + fromPeer);
                 Socket sender = sendToSink(lab, toPeer, 4 * MB);
                 Socket receiver = readFromSource(lab, fromPeer, 4 * MB)) {
                // the last delayed ACKs go out up to 200 ms after the data: the capture ends when
                // the receiver has sent nothing for longer
                Await.until("the receiver stops sending", Duration.ofSeconds(5), () -> {
                    long before = Ss.of(receiver.getLocalPort(), fromPeer).field("segs_out").orElseThrow();
                    Thread.sleep(300);
                    long after = Ss.of(receiver.getLocalPort(), fromPeer).field("segs_out").orElseThrow();
                    return before == after ? null : before + " -> " + after + " segments";
                });
                List<Segment> wire = capture.stop();
                Map<String, Long> tx = probe.connection(sender.getLocalPort(), toPeer);
                assertEquals(1L, tx.get("tcpEStatsStackECN"), "ECN negotiated");
                assertPositive(tx, "tcpEStatsPathECNsignals", "tcpEStatsPerfCongSignals");
                Map<String, Long> rx = probe.connection(receiver.getLocalPort(), fromPeer);
                assertPositive(rx, "tcpEStatsPathCERcvd", "tcpEStatsPathECESent");
                // RFC 4898 ECNsignals: segments received with ECE; ECESent: segments sent with ECE
                // after one without (each newly echoed congestion experience), as on the wire
                assertEquals(wire.stream().filter(g -> g.srcPort() == toPeer && g.has(Segment.ECE)
                        && !g.has(Segment.SYN)).count(), tx.get("tcpEStatsPathECNsignals"));
                long eceRuns = 0;
                boolean previous = false;
                for (Segment g : wire) {
                    if (g.srcPort() == receiver.getLocalPort() && !g.has(Segment.SYN)) {
                        eceRuns += g.has(Segment.ECE) && !previous ? 1 : 0;
                        previous = g.has(Segment.ECE);
                    }
                }
                assertEquals(eceRuns, rx.get("tcpEStatsPathECESent"));
                // older ss versions do not print received_ce
                Ss.of(receiver.getLocalPort(), fromPeer).field("received_ce")
                        .ifPresent(ce -> assertEquals(ce, rx.get("tcpEStatsPathCERcvd")));
            }
        }
    }

    @Test
    void clampedMssShowsInTheMssObjects() throws Exception {
        try (NetnsLab lab = NetnsLab.create("")) {
            lab.inPeer("ip route replace " + lab.hostAddress.getHostAddress() + "/32 dev " + lab.peerDev
                    + " advmss 1000");
            int port = port();
            lab.startPeer("sink", String.valueOf(port), String.valueOf(MB));
            try (Socket s = sendToSink(lab, port, MB)) {
                Map<String, Long> v = probe.connection(s.getLocalPort(), port);
                Ss ss = Ss.of(s.getLocalPort(), port);
                assertEquals(1000L, v.get("tcpEStatsStackMSSRcvd"));
                assertEquals(ss.field("mss").orElseThrow(), v.get("tcpEStatsPerfCurMSS"));
                assertEquals(v.get("tcpEStatsPerfCurMSS"), v.get("tcpEStatsStackMaxMSS"));
                assertEquals(v.get("tcpEStatsPerfCurMSS"), v.get("tcpEStatsStackMinMSS"));
                assertEquals(ss.field("advmss").orElseThrow() + 12, v.get("tcpEStatsStackMSSSent"),
                        "advmss excludes the timestamp option");
                assertEquals(1000L, v.get("tcpEStatsTuneLimMSS"));
            }
        }
    }

    @Test
    void slowReaderMovesZeroWindowAndSenderLimitCounters() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = new ServerSocket()) {
            server.setReceiveBufferSize(4096);
            server.bind(new InetSocketAddress(lo, 0));
            try (PacketCapture capture = PacketCapture.start("lo", "tcp port " + server.getLocalPort());
                 Socket writer = new Socket(lo, server.getLocalPort()); Socket reader = server.accept()) {
                Thread send = Thread.ofPlatform().start(() -> {
                    try {
                        writer.getOutputStream().write(new byte[2 * MB]);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                Await.untilTrue("the reader's window closes", Duration.ofSeconds(5),
                        () -> probe.connection(reader.getLocalPort(), writer.getLocalPort())
                                .get("tcpEStatsPerfCurRwinSent") == 0);
                Thread.sleep(1000); // the writer stays window-limited for a while
                long rwndBefore = Ss.of(writer.getLocalPort(), server.getLocalPort()).field("rwnd_limited").orElse(0);
                List<Segment> wire = capture.stop();
                Map<String, Long> w = probe.connection(writer.getLocalPort(), server.getLocalPort());
                Map<String, Long> r = probe.connection(reader.getLocalPort(), writer.getLocalPort());
                // RFC 4898 ZeroRwinSent/ZeroRwinRcvd: segments that closed the window (zero after non-zero),
                // as the capture shows the reader's segments; loopback delivers each one it sends
                long closings = 0;
                long window = -1;
                for (Segment g : wire) {
                    if (g.srcPort() == reader.getLocalPort() && !g.has(Segment.SYN)) {
                        closings += g.window() == 0 && window != 0 ? 1 : 0;
                        window = g.window();
                    }
                }
                assertTrue(closings > 0, "the window closed on the wire");
                assertEquals(closings, r.get("tcpEStatsPerfZeroRwinSent"));
                assertEquals(closings, w.get("tcpEStatsPerfZeroRwinRcvd"));
                assertPositive(w, "tcpEStatsPerfZeroRwinRcvd", "tcpEStatsPerfSndLimTimeRwin",
                        "tcpEStatsAppCurAppWQueue", "tcpEStatsAppMaxAppWQueue");
                assertPositive(r, "tcpEStatsPerfZeroRwinSent", "tcpEStatsAppCurAppRQueue", "tcpEStatsAppMaxAppRQueue");
                assertEquals(0L, r.get("tcpEStatsPerfCurRwinSent"), "the reader's window is closed");
                Ss ss = Ss.of(writer.getLocalPort(), server.getLocalPort());
                assertEquals(ss.field("notsent").orElse(0), w.get("tcpEStatsAppCurAppWQueue"));
                // the writer is still window-limited: the running chrono grows between the reads
                long rwndAfter = ss.field("rwnd_limited").orElseThrow();
                long ours = w.get("tcpEStatsPerfSndLimTimeRwin");
                assertTrue(ours >= rwndBefore - 4 && ours <= rwndAfter + 4,
                        "rwnd_limited " + rwndBefore + ".." + rwndAfter + " ms vs " + ours);
                InputStream in = reader.getInputStream();
                byte[] buf = new byte[65536];
                long total = 0;
                while (total < 2L * MB) {
                    total += in.read(buf);
                }
                send.join();
                long elapsed = probe.connection(writer.getLocalPort(), server.getLocalPort())
                        .get("tcpEStatsPerfElapsedSecs");
                assertTrue(elapsed >= 1, "the writer's last segment came over a second after its start: " + elapsed);
            }
        }
    }

    @Test
    void listenerCountsHandshakesBacklogAndDrops() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        long before = System.nanoTime();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(lo, 0), 50);
            int port = server.getLocalPort();
            List<Socket> clients = new ArrayList<>();
            List<Socket> accepted = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    clients.add(new Socket(lo, port));
                }
                accepted.add(server.accept());
                accepted.add(server.accept());
                Await.untilTrue("the five handshakes are counted", Duration.ofSeconds(5),
                        () -> probe.listener(port).get("tcpEStatsListenerEstablished") == 5);
                Map<String, Long> v = probe.listener(port);
                assertTrue(v.get("tcpEStatsListenerSynRcvd") >= 5, "SynRcvd " + v.get("tcpEStatsListenerSynRcvd"));
                assertEquals(5L, v.get("tcpEStatsListenerInitial"));
                assertEquals(5L, v.get("tcpEStatsListenerEstablished"));
                assertEquals(5L, v.get("tcpEStatsListenerHCEstablished"));
                assertEquals(2L, v.get("tcpEStatsListenerAccepted"));
                assertEquals(2L, v.get("tcpEStatsListenerCurConns"));
                assertEquals(3L, v.get("tcpEStatsListenerCurEstabBacklog"));
                assertEquals(3L, v.get("tcpEStatsListenerCurBacklog"));
                assertEquals(50L, v.get("tcpEStatsListenerMaxBacklog"));
                assertTrue(v.get("tcpEStatsListenerStartTime") > 0, "the listener started after the agent");
                assertTrue(probe.listenerChangedNanos() >= before, "tcpEStatsListenerTableLastChange moved");
            } finally {
                for (Socket c : clients) {
                    c.close();
                }
                for (Socket a : accepted) {
                    a.close();
                }
            }
        }
        try (ServerSocket tiny = new ServerSocket()) {
            tiny.bind(new InetSocketAddress(lo, 0), 1);
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    Socket c = new Socket();
                    clients.add(c);
                    Thread.ofVirtual().start(() -> {
                        try {
                            c.connect(new InetSocketAddress(lo, tiny.getLocalPort()), 3000);
                        } catch (Exception e) {
                            // refused or timed out: the queue is full, as intended
                        }
                    });
                }
                Await.untilTrue("the listener drops what its queue cannot hold", Duration.ofSeconds(10),
                        () -> probe.listener(tiny.getLocalPort()).get("tcpEStatsListenerExceedBacklog") > 0);
                assertPositive(probe.listener(tiny.getLocalPort()), "tcpEStatsListenerExceedBacklog",
                        "tcpEStatsListenerHCExceedBacklog");
            } finally {
                for (Socket c : clients) {
                    c.close();
                }
            }
        }
    }
}
