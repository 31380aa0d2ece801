package tcpestats.collect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tcpestats.store.EstatsStore;
import tcpestats.support.Await;
import tcpestats.support.KernelRequired;
import tcpestats.support.NetnsLab;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connections come and go by the thousand: the store sees every one established and closed. */
@ExtendWith(KernelRequired.class)
class LifecycleKernelTest {
    private static final int MAX_CONNECTIONS = 8000;
    /** Connections per second and client thread: 4 threads make 2,400 a second. */
    private static final int RATE_PER_THREAD = 600;
    private static final long CHURN_NANOS = TimeUnit.SECONDS.toNanos(3);

    /** Cookies of the test's own sockets, by what the store reported. */
    private record Seen(Set<Long> established, Set<Long> closed, java.util.Map<Long, String> what) {
    }

    private static Seen watch(EstatsStore store, int serverPort) {
        Seen seen = new Seen(ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet(), new ConcurrentHashMap<>());
        store.addListener(new EstatsStore.Listener() {
            @Override
            public void established(long connectIndex, SocketRecord r) {
                if (ours(r, serverPort)) {
                    assertTrue(connectIndex >= 1);
                    seen.established().add(r.cookie());
                    seen.what().put(r.cookie(), r.local() + " -> " + r.remote() + " " + r.state());
                }
            }

            @Override
            public void closed(long connectIndex, SocketRecord r) {
                if (ours(r, serverPort)) {
                    seen.closed().add(r.cookie());
                }
            }
        });
        return seen;
    }

    /** The sockets seen established and never closed, each with the state the kernel shows now. */
    private static List<String> neverClosed(Seen seen, KernelCollector collector) {
        return seen.established().stream().filter(c -> !seen.closed().contains(c))
                .map(c -> seen.what().get(c) + " now " + collector.snapshot().sockets().stream()
                        .filter(x -> x.cookie() == c).map(x -> x.state().toString()).findFirst().orElse("gone"))
                .toList();
    }

    private static boolean ours(SocketRecord r, int serverPort) {
        return r.local().port() == serverPort || r.remote().port() == serverPort;
    }

    /** Opens and closes short connections from a few threads for a bounded time; returns how many. */
    private static int churn(ServerSocket server) throws Exception {
        InetAddress lo = server.getInetAddress();
        AtomicInteger made = new AtomicInteger();
        long deadline = System.nanoTime() + CHURN_NANOS;
        Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try {
                    server.accept().close();
                } catch (Exception e) {
                    return;
                }
            }
        });
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            clients.submit(() -> {
                long next = System.nanoTime();
                while (System.nanoTime() < deadline && made.incrementAndGet() <= MAX_CONNECTIONS) {
                    next += 1_000_000_000L / RATE_PER_THREAD;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(lo, server.getLocalPort()), 2000);
                        s.getInputStream().read(); // the server closes first: its end takes the TIME_WAIT
                    }
                }
                return null;
            });
        }
        clients.shutdown();
        assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));
        server.close();
        acceptor.join();
        return Math.min(made.get(), MAX_CONNECTIONS) - (made.get() > MAX_CONNECTIONS ? 0 : 4);
    }

    private static void churnAndCount(int eventBufferBytes, boolean expectSpill) throws Exception {
        Path cgroup = Cgroups.cgroup2Root(Path.of("/proc/self/mountinfo")).orElseThrow();
        try (KernelCollector collector = KernelCollector.start(cgroup, eventBufferBytes);
             ServerSocket server = new ServerSocket()) {
            EstatsStore store = new EstatsStore(collector::snapshot, inode -> 0);
            store.retainClosedFor(() -> 1);
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 1000);
            Seen seen = watch(store, server.getLocalPort());
            collector.startEvents(store::onEvent);
            long start = System.nanoTime();
            churn(server);
            double seconds = (System.nanoTime() - start) / 1e9;
            // every connection has two sockets, each established once and closed once
            for (int i = 0; i < 100 && !seen.closed().equals(seen.established()); i++) {
                Thread.sleep(100);
                store.snapshot(0); // what the agent's periodic pass does: repairs missed events
            }
            int sockets = seen.established().size();
            System.out.printf("churn: %d sockets (%.0f connections/s), ring buffer %d bytes, %d events recovered "
                            + "from the spill map, %d lost, %d repaired by a kernel pass%n", sockets,
                    sockets / 2 / seconds, eventBufferBytes, collector.eventsRecovered(), collector.eventsDropped(),
                    store.repairs());
            assertTrue(sockets / 2 / seconds >= 1000, "thousands of connections per second: " + sockets / 2 / seconds);
            neverClosed(seen, collector).forEach(c -> System.out.println("never closed: " + c));
            assertEquals(seen.established().size(), seen.closed().size(), "every socket closed that was established");
            assertTrue(seen.closed().containsAll(seen.established()), "the same sockets");
            assertEquals(0, collector.eventsDropped(), "nothing lost");
            if (expectSpill) {
                assertTrue(collector.eventsRecovered() > 0, "the tiny ring buffer overflowed and was repaired");
            }
            assertTrue(store.snapshot(0).connections().stream().anyMatch(c -> c.retained()),
                    "closed connections stay for tcpEStatsConnTableLatency");
            Thread.sleep(1200);
            assertEquals(0, store.snapshot(0).connections().stream()
                    .filter(c -> c.retained() && ours(c.socket(), server.getLocalPort())).count(),
                    "no row is left after the latency expires");
        }
    }

    @Test
    void churnIsFollowedWithoutLoss() throws Exception {
        churnAndCount(KernelCollector.DEFAULT_EVENT_BUFFER_BYTES, false);
    }

    @Test
    void aTinyRingBufferOverflowsAndTheSpillMapLosesNothing() throws Exception {
        churnAndCount(4096, true);
    }

    /**
     * Connects that the kernel gives up on close from its retransmission timer, in softirq,
     * by the thousand while other connections open and close in process context: the case
     * where a tracepoint program loses closes (the kernel skips it when the softirq
     * interrupts it on the same CPU). Each must arrive as a close event, none through a repair.
     */
    @Test
    void connectsThatTimeOutAmidChurnAllCloseByTheirEvents() throws Exception {
        int connects = 2000;
        int port = 9;
        Path cgroup = Cgroups.cgroup2Root(Path.of("/proc/self/mountinfo")).orElseThrow();
        try (NetnsLab lab = NetnsLab.create("");
             KernelCollector collector = KernelCollector.start(cgroup);
             ServerSocket server = new ServerSocket()) {
            // no kernel pass is asked for: whatever the store knows came as an event
            EstatsStore store = new EstatsStore(collector::snapshot, inode -> 0);
            // the connects go from the lab's namespace to port 9, which nothing here uses
            Set<Long> closed = watch(store, port).closed();
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 1000);
            Seen churned = watch(store, server.getLocalPort());
            collector.startEvents(store::onEvent);
            lab.blackholeToHost(port);
            // one SYN retry: the kernel gives up about 3 s after the connects (ETIMEDOUT)
            lab.inPeer("sysctl -qw net.ipv4.tcp_syn_retries=1");
            Process peer = new ProcessBuilder("ip", "netns", "exec", lab.namespace, "python3", "-c", String.join("\n",
                    "import errno, select, socket, sys",
                    "socks = []",
                    "for i in range(" + connects + "):",
                    "    s = socket.socket()",
                    "    s.setblocking(False)",
                    "    s.connect_ex(('" + lab.hostAddress.getHostAddress() + "', " + port + "))",
                    "    socks.append(s)",
                    "print('connecting', flush=True)",
                    "p = select.poll()",
                    "for s in socks:",
                    "    p.register(s, select.POLLOUT)",
                    "byfd = {s.fileno(): s for s in socks}",
                    "done = timedout = 0",
                    "while done < len(socks):",
                    "    for fd, ev in p.poll(20000):",
                    "        p.unregister(fd)",
                    "        done += 1",
                    "        timedout += byfd[fd].getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == errno.ETIMEDOUT",
                    "print(timedout, flush=True)")).redirectErrorStream(true).start();
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(peer.getInputStream()));
            assertEquals("connecting", out.readLine());
            // the timeouts come while this churn changes states in process context
            churn(server);
            assertEquals(String.valueOf(connects), out.readLine(), "every connect timed out in the kernel");
            Await.upTo(Duration.ofSeconds(15), () -> closed.size() == connects
                    && churned.closed().size() == churned.established().size());
            System.out.printf("timeouts: %d connects, %d close events; churn: %d sockets established, %d closed; "
                            + "runs skipped %s%n", connects, closed.size(), churned.established().size(),
                    churned.closed().size(), collector.tracepointRunsSkipped());
            assertEquals(connects, closed.size(), "a close event for every connect that timed out");
            assertTrue(churned.established().size() > 1000, "churn: " + churned.established().size());
            assertEquals(churned.established(), churned.closed(), "an event for each establishment and close; "
                    + "established, never closed: " + neverClosed(churned, collector));
            assertEquals(0, collector.eventsDropped());
        }
    }

    private static SocketRecord record(KernelPass pass, int localPort, int remotePort) {
        return pass.sockets().stream().filter(r -> r.local().port() == localPort && r.remote().port() == remotePort)
                .findFirst().orElseThrow(() -> new AssertionError("no socket " + localPort + " -> " + remotePort));
    }

    /**
     * A listener and a connection opened before the agent: on a kernel whose bpf_setsockopt
     * takes TCP_BPF_SOCK_OPS_CB_FLAGS (6.12) the collector's pass at start hands them to sockops'
     * state callback and the state tracepoint is detached; on an older one it stays, for them. Either
     * way their close arrives as an event, and a listener's coming and going moves the
     * listener table's last change.
     */
    @Test
    void socketsOlderThanTheAgentAreHandedToSockopsWhereTheKernelAllows() throws Exception {
        Path cgroup = Cgroups.cgroup2Root(Path.of("/proc/self/mountinfo")).orElseThrow();
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        ServerSocket oldListener = new ServerSocket(0, 10, lo);
        Socket oldClient = new Socket(lo, oldListener.getLocalPort());
        Socket oldServer = oldListener.accept();
        int listenPort = oldListener.getLocalPort();
        int clientPort = oldClient.getLocalPort();
        try (KernelCollector collector = KernelCollector.start(cgroup)) {
            boolean handOver = collector.features().has(KernelFeature.SOCK_OPS_CB_FLAGS_OPTION);
            EstatsStore store = new EstatsStore(collector::snapshot, inode -> 0);
            Seen seen = watch(store, listenPort);
            collector.startEvents(store::onEvent);
            if (!handOver) {
                assertTrue(collector.stateTracepointAttached(), "needed for the older sockets' closes");
            }
            KernelPass first = collector.snapshot();
            for (SocketRecord r : List.of(record(first, listenPort, 0), record(first, clientPort, listenPort),
                    record(first, listenPort, clientPort))) {
                assertEquals(handOver ? 1 : 0, r.get(Field.FOLLOWED), r.local() + " -> " + r.remote());
            }
            if (handOver) {
                // at start, or at the latest pass if a namespace went away while that one ran
                Await.untilTrue("a pass finds every socket of the host followed and detaches the tracepoint",
                        Duration.ofSeconds(10), () -> {
                            collector.snapshot();
                            return !collector.stateTracepointAttached();
                        });
            } else {
                assertTrue(collector.stateTracepointAttached(), "needed for the older sockets' closes");
            }
            store.snapshot(0); // the store knows the old connection from a pass, as the agent's first
            try (ServerSocket newListener = new ServerSocket(0, 10, lo)) {
                KernelPass withNew = collector.snapshot();
                assertEquals(1, record(withNew, newListener.getLocalPort(), 0).get(Field.FOLLOWED),
                        "a listener made while the agent runs is followed from listen()");
                assertTrue(withNew.listenerChangedNanos() > first.listenerChangedNanos(), "listen() was seen");
                long changed = withNew.listenerChangedNanos();
                oldClient.close();
                oldServer.close();
                oldListener.close();
                // no pass is asked for until both closes came: they came as events
                Await.upTo(Duration.ofSeconds(10), () -> seen.closed().size() == 2);
                assertEquals(2, seen.closed().size(), "a close event for each end of the old connection");
                assertTrue(collector.snapshot().listenerChangedNanos() > changed, "the old listener's close was seen");
            }
        } finally {
            oldClient.close();
            oldServer.close();
            oldListener.close();
        }
    }
}
