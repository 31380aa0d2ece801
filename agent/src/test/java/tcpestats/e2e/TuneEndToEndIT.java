package tcpestats.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tcpestats.support.Await;
import tcpestats.support.BulkTransfer;
import tcpestats.support.KernelRequired;
import tcpestats.support.LoopbackConnection;
import tcpestats.support.NetnsLab;
import tcpestats.support.Processes;
import tcpestats.support.Ss;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** snmpset of tcpEStatsTuneTable on live transfers, checked with the kernel's own view (ss). */
@ExtendWith(KernelRequired.class)
class TuneEndToEndIT {
    private static final String TUNE = "1.3.6.1.2.1.156.1.1.7.1.";
    private static final String[] CONFIG = {"rocommunity public 127.0.0.1", "rwcommunity private 127.0.0.1",
            "tcpEStatsControlTune true", "estatsSnapshotMaxAge 0"};

    private static Processes.Result set(AgentProcess agent, String community, String oid, String type, String value)
            throws Exception {
        return Processes.run(List.of("snmpset", "-v2c", "-c", community, "-On", "-t", "2", "-r", "0",
                "127.0.0.1:" + agent.port, oid, type, value), 30);
    }

    /** {@code value} once {@code done} accepts it, or its last reading after 5 s. */
    private static long waitFor(java.util.function.LongSupplier value, java.util.function.LongPredicate done)
            throws Exception {
        long[] last = {value.getAsLong()};
        Await.upTo(Duration.ofSeconds(5), () -> done.test(last[0] = value.getAsLong()));
        return last[0];
    }

    private static long ssField(int localPort, int remotePort, String name) {
        try {
            return Ss.of(localPort, remotePort).field(name).orElse(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void limCwndCapsTheCongestionWindowOfABulkTransfer(@TempDir Path dir) throws Exception {
        try (NetnsLab lab = NetnsLab.create("congctl cubic");
             AgentProcess agent = AgentProcess.start(dir, "public", CONFIG)) {
            int port = 25000 + (int) (ProcessHandle.current().pid() % 1000);
            // a bottleneck keeps the transfer cwnd-limited: Linux enforces the clamp when it grows cwnd
            lab.shapeTowardsPeer("200mbit");
            lab.startPeer("sink", String.valueOf(port), String.valueOf(1L << 40));
            try (BulkTransfer transfer = new BulkTransfer(lab.peerAddress, port, 1 << 20)) {
                int local = transfer.localPort();
                Thread.sleep(1000);
                long mss = ssField(local, port, "mss");
                long before = throughput(local, port);
                String index = agent.connectIndex(lab.hostAddress, local, lab.peerAddress, port);

                // one segment per round trip: the receiver's delayed ACK paces the transfer
                Processes.Result r = set(agent, "private", TUNE + "1." + index, "u", String.valueOf(mss));
                assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
                long cwnd = waitFor(() -> ssField(local, port, "cwnd"), c -> c <= 1);
                assertTrue(cwnd <= 1, "cwnd " + cwnd + " after LimCwnd = 1 segment");
                long after = throughput(local, port);
                assertTrue(after < before / 10, "throughput " + before + " -> " + after + " octets/s");
                Processes.Result get = agent.snmp("snmpget", "public", TUNE + "1." + index);
                assertTrue(get.stdout().contains("Gauge32: " + mss), "read back: " + get.stdout());
                assertEquals(0, agent.stop());
            }
        }
    }

    /** Octets acknowledged per second over half a second, from ss. */
    private static long throughput(int local, int remote) throws InterruptedException {
        long a = ssField(local, remote, "bytes_acked");
        Thread.sleep(500);
        return (ssField(local, remote, "bytes_acked") - a) * 2;
    }

    @Test
    void limRwinBoundsTheWindowThePeerSees(@TempDir Path dir) throws Exception {
        try (NetnsLab lab = NetnsLab.create("");
             AgentProcess agent = AgentProcess.start(dir, "public", CONFIG)) {
            int port = 26000 + (int) (ProcessHandle.current().pid() % 1000);
            lab.startPeer("source", String.valueOf(port), String.valueOf(1L << 40));
            AtomicBoolean reading = new AtomicBoolean(true);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(lab.peerAddress, port), 5000);
                Thread.ofPlatform().daemon().start(() -> {
                    byte[] buf = new byte[1 << 16];
                    try (InputStream in = s.getInputStream()) {
                        while (reading.get() && in.read(buf) >= 0) {
                            // keep the data flowing
                        }
                    } catch (Exception e) {
                        // closed at the end of the test
                    }
                });
                Thread.sleep(1000);
                String index = agent.connectIndex(lab.hostAddress, s.getLocalPort(), lab.peerAddress, port);
                long limit = 65536;
                Processes.Result r = set(agent, "private", TUNE + "3." + index, "u", String.valueOf(limit));
                assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
                int local = s.getLocalPort();
                // the peer's view: snd_wnd of its end of the connection
                long peerWindow = waitFor(() -> peerSndWnd(lab, port, local), w -> w > 0 && w <= limit);
                assertTrue(peerWindow > 0 && peerWindow <= limit, "the peer sees a window of " + peerWindow);
                Processes.Result get = agent.snmp("snmpget", "public", TUNE + "3." + index);
                assertTrue(get.stdout().contains("Gauge32: " + limit), "read back: " + get.stdout());
                reading.set(false);
                assertEquals(0, agent.stop());
            }
        }
    }

    private static long peerSndWnd(NetnsLab lab, int peerPort, int hostPort) {
        try {
            String out = lab.inPeer("ss -tinH '( sport = :" + peerPort + " and dport = :" + hostPort + " )'");
            Matcher m = Pattern.compile("snd_wnd:(\\d+)").matcher(out);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void badSetsGetTheirErrorAndTheAgentStaysUp(@TempDir Path dir) throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (AgentProcess agent = AgentProcess.start(dir, "public", CONFIG);
             LoopbackConnection c = new LoopbackConnection(lo, 1000)) {
            String i = agent.connectIndex(lo, c.clientPort(), lo, c.serverPort());
            Map<String, String[]> cases = Map.of(
                    "wrongType", new String[]{"private", TUNE + "1." + i, "s", "lots"},
                    "wrongValue", new String[]{"private", TUNE + "1." + i, "u", "1"},
                    "inconsistentValue", new String[]{"private", TUNE + "4." + i, "u", "1000"},
                    "noCreation", new String[]{"private", TUNE + "1.4000000000", "u", "100000"},
                    "noAccess", new String[]{"public", TUNE + "1." + i, "u", "100000"});
            for (Map.Entry<String, String[]> e : cases.entrySet()) {
                String[] a = e.getValue();
                Processes.Result r = set(agent, a[0], a[1], a[2], a[3]);
                assertTrue(r.stderr().contains("Reason: " + e.getKey()), e.getKey() + ": " + r.stdout() + r.stderr());
            }
            Processes.Result ssthresh = set(agent, "private", TUNE + "2." + i, "u", "100000");
            assertTrue(ssthresh.stderr().contains("Reason: noCreation"), "LimSsthresh: Linux has no such limit: "
                    + ssthresh.stderr());
            assertEquals(0, agent.snmp("snmpget", "public", "1.3.6.1.2.1.1.1.0").exitCode(), "still answering");
            assertEquals(0, agent.stop());
        }
        try (AgentProcess agent = AgentProcess.start(dir, "public", "rocommunity public 127.0.0.1",
                "rwcommunity private 127.0.0.1");
             LoopbackConnection c = new LoopbackConnection(lo, 1000)) {
            String i = agent.connectIndex(lo, c.clientPort(), lo, c.serverPort());
            Processes.Result r = set(agent, "private", TUNE + "1." + i, "u", "100000");
            assertTrue(r.stderr().contains("Reason: notWritable"), "tcpEStatsControlTune is false: " + r.stderr());
            assertEquals(0, agent.stop());
        }
    }
}
