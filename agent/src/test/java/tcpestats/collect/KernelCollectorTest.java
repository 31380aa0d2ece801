package tcpestats.collect;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tcpestats.store.ConnectionRow;
import tcpestats.store.EstatsStore;
import tcpestats.support.Await;
import tcpestats.support.KernelRequired;
import tcpestats.support.LoopbackConnection;
import tcpestats.support.Ss;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The real BPF programs on the running kernel, checked against tcp_info (ss -tin). */
@ExtendWith(KernelRequired.class)
class KernelCollectorTest {
    private static final int BYTES = 1_234_567;
    private static KernelCollector collector;
    private static final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void attach() {
        Path cgroup = Cgroups.cgroup2Root(Path.of("/proc/self/mountinfo")).orElseThrow();
        collector = KernelCollector.start(cgroup);
        collector.startEvents(events::add);
    }

    @AfterAll
    static void detach() {
        if (collector != null) {
            collector.close();
        }
    }

    private static SocketRecord find(int localPort, int remotePort) {
        return collector.snapshot().sockets().stream()
                .filter(r -> r.netns() == collector.ownNetns())
                .filter(r -> r.local().port() == localPort && r.remote().port() == remotePort)
                .findFirst().orElseThrow(() -> new AssertionError("no socket " + localPort + " -> " + remotePort));
    }

    /** Reads the kernel twice around the snapshot so that the connection was idle in between. */
    private static SocketRecord idleSnapshot(int localPort, int remotePort, Ss[] ssOut) throws Exception {
        SocketRecord[] found = new SocketRecord[1];
        Await.until("the connection stays idle around a snapshot", Duration.ofSeconds(2), () -> {
            Ss before = Ss.of(localPort, remotePort);
            SocketRecord r = find(localPort, remotePort);
            Ss after = Ss.of(localPort, remotePort);
            if (!before.toString().replaceAll("last\\w+:\\d+", "")
                    .equals(after.toString().replaceAll("last\\w+:\\d+", ""))) {
                return after.toString();
            }
            ssOut[0] = after;
            found[0] = r;
            return null;
        });
        return found[0];
    }

    @Test
    void ipv4ConnectionMatchesTcpInfo() throws Exception {
        try (LoopbackConnection c = new LoopbackConnection(InetAddress.getByName("127.0.0.1"), BYTES)) {
            Ss[] ss = new Ss[1];
            SocketRecord client = idleSnapshot(c.clientPort(), c.serverPort(), ss);
            // Java sockets are dual-stack: the kernel has ::ffff:127.0.0.1, reported as IPv4
            assertTrue(client.local().isIpv4());
            assertEquals("127.0.0.1:" + c.clientPort(), client.local().toString());
            assertEquals("127.0.0.1:" + c.serverPort(), client.remote().toString());
            assertEquals(TcpState.ESTABLISHED, client.state());
            assertTrue(client.hasStats());
            assertEquals(1, client.get(Field.START_KNOWN), "sockops saw connect()");
            assertEquals(1, client.get(Field.ACTIVE_OPEN));
            assertEquals(BYTES, client.get(Field.BYTES_SENT));
            assertEquals(ss[0].field("bytes_sent").orElseThrow(), client.get(Field.BYTES_SENT), ss[0].toString());
            assertEquals(ss[0].field("segs_out").orElseThrow(), client.get(Field.SEGS_OUT), ss[0].toString());
            assertEquals(ss[0].field("data_segs_out").orElseThrow(), client.get(Field.DATA_SEGS_OUT), ss[0].toString());
            assertEquals(ss[0].field("mss").orElseThrow(), client.get(Field.MSS_CACHE), ss[0].toString());
            // the kernel side converts segments to octets; ss shows segments (no ssthresh while it is infinite)
            long mss = client.get(Field.MSS_CACHE);
            assertEquals(ss[0].field("cwnd").orElseThrow() * mss, client.get(Field.CWND_OCTETS), ss[0].toString());
            assertEquals(ss[0].field("ssthresh").isPresent() ? ss[0].field("ssthresh").getAsLong() * mss : 0xFFFF_FFFFL,
                    client.get(Field.SSTHRESH_OCTETS), ss[0].toString());
            assertEquals(ss[0].field("rto").orElseThrow(), client.get(Field.RTO_MS), ss[0].toString());

            SocketRecord server = idleSnapshot(c.serverPort(), c.clientPort(), ss);
            assertEquals(ss[0].field("bytes_received").orElseThrow(), server.get(Field.BYTES_RECEIVED));
            assertEquals(BYTES, server.get(Field.DATA_OCTETS_IN), "no loss on loopback: every payload octet once");
            assertEquals(ss[0].field("segs_in").orElseThrow(), server.get(Field.SEGS_IN), ss[0].toString());
            assertEquals(ss[0].field("data_segs_in").orElseThrow(), server.get(Field.DATA_SEGS_IN), ss[0].toString());
        }
    }

    @Test
    void ipv6ConnectionKeepsItsAddresses() throws Exception {
        try (LoopbackConnection c = new LoopbackConnection(InetAddress.getByName("::1"), 1000)) {
            SocketRecord client = find(c.clientPort(), c.serverPort());
            assertFalse(client.local().isIpv4());
            assertEquals("[0:0:0:0:0:0:0:1]:" + c.clientPort(), client.local().toString());
            assertEquals(1000, client.get(Field.BYTES_SENT));
        }
    }

    @Test
    void timeWaitSocketsShareTheirFieldBytes() throws Exception {
        // client port -> server port: a client port alone may be another test's TIME_WAIT socket too
        Map<Integer, Integer> clientEnds = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            LoopbackConnection c = new LoopbackConnection(InetAddress.getByName("127.0.0.1"), 100);
            clientEnds.put(c.clientPort(), c.serverPort());
            c.close(); // the client closes first: its end waits in TIME_WAIT
        }
        Await.until("the four client ends in TIME_WAIT, their records sharing one array", Duration.ofSeconds(3), () -> {
            List<SocketRecord> timeWait = timeWait(clientEnds);
            boolean shared = timeWait.size() == 4
                    && timeWait.stream().allMatch(r -> r.fields() == timeWait.getFirst().fields());
            return shared ? null : timeWait.size() + " in TIME_WAIT, distinct arrays: "
                    + timeWait.stream().map(r -> System.identityHashCode(r.fields())).distinct().count();
        });
        byte[] first = timeWait(clientEnds).getFirst().fields();
        assertTrue(timeWait(clientEnds).stream().allMatch(r -> r.fields() == first), "and the next pass's too");
    }

    private static List<SocketRecord> timeWait(Map<Integer, Integer> clientEnds) {
        return collector.snapshot().sockets().stream()
                .filter(r -> r.netns() == collector.ownNetns() && r.state() == TcpState.TIME_WAIT
                        && Integer.valueOf(r.remote().port()).equals(clientEnds.get(r.local().port())))
                .toList();
    }

    @Test
    void lifecycleEventsAndTheStoreFollowAConnection() throws Exception {
        EstatsStore store = new EstatsStore(collector::snapshot, inode -> 0);
        long cookie;
        int clientPort;
        int serverPort;
        try (LoopbackConnection c = new LoopbackConnection(InetAddress.getByName("127.0.0.1"), 10)) {
            clientPort = c.clientPort();
            serverPort = c.serverPort();
            cookie = find(clientPort, serverPort).cookie();
            Await.untilTrue("the establish event", Duration.ofSeconds(5), () -> events.stream()
                    .anyMatch(e -> e.cookie() == cookie && e.kind() == LifecycleEvent.Kind.ESTABLISHED));
            LifecycleEvent established = events.stream().filter(e -> e.cookie() == cookie).findFirst().orElseThrow();
            assertEquals(clientPort, established.local().port());
            assertEquals(serverPort, established.remote().port());
            assertEquals(TcpState.SYN_SENT, established.oldState());
            ConnectionRow row = store.snapshot(0).connections().stream()
                    .filter(r -> r.socket().cookie() == cookie).findFirst().orElseThrow();
            assertTrue(row.connectIndex() >= 1);
        }
        Await.untilTrue("the close event", Duration.ofSeconds(5), () -> events.stream()
                .anyMatch(e -> e.cookie() == cookie && e.kind() == LifecycleEvent.Kind.CLOSED));
        LifecycleEvent closed = events.stream()
                .filter(e -> e.cookie() == cookie && e.kind() == LifecycleEvent.Kind.CLOSED).findFirst().orElseThrow();
        assertEquals(clientPort, closed.local().port(), "the local port survives the close (inet_sport)");
        assertTrue(store.snapshot(0).connections().stream()
                        .noneMatch(r -> r.socket().cookie() == cookie && r.hasStats()),
                "a closed connection has no statistics row");
        assertEquals(0, collector.eventsDropped());
    }
}
