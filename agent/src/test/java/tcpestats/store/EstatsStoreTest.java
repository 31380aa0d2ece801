package tcpestats.store;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import tcpestats.collect.Endpoint;
import tcpestats.collect.Field;
import tcpestats.collect.KernelPass;
import tcpestats.collect.ListenEndpoint;
import tcpestats.collect.LifecycleEvent;
import tcpestats.collect.SocketRecord;
import tcpestats.collect.TcpState;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store fed with recorded kernel passes instead of the iterator. */
class EstatsStoreTest {
    private static SocketRecord socket(long cookie, TcpState state, boolean stats, int port) {
        Endpoint local = new Endpoint(new byte[]{127, 0, 0, 1}, port);
        Endpoint remote = new Endpoint(new byte[]{127, 0, 0, 1}, 80);
        SocketRecord base = SocketRecord.established(cookie, local, remote);
        return new SocketRecord(cookie, cookie * 10, state, local, remote, stats, 0, 0, base.fields());
    }

    private final List<List<SocketRecord>> passes = new ArrayList<>();
    private final List<Map<ListenEndpoint, long[]>> counts = new ArrayList<>();
    private final AtomicInteger passCount = new AtomicInteger();
    /** The stores' monotonic clock: a nanosecond passes at each reading, and as much as a test moves it. */
    private final AtomicLong clock = new AtomicLong();
    private final EstatsStore store = new EstatsStore(() -> {
        int i = Math.min(passCount.getAndIncrement(), passes.size() - 1);
        return new KernelPass(passes.get(i), counts.isEmpty() ? Map.of() : counts.get(i), 0, Set.of(0L));
    }, inode -> inode + 1, clock::incrementAndGet);

    @Test
    void aRequestInOneContextPassesOnlyItsNamespaceAndEveryNamespacePassServesThemAll() {
        List<Long> asked = new ArrayList<>();
        EstatsStore perNamespace = new EstatsStore(whole -> {
            asked.add(whole);
            Set<Long> complete = whole == KernelPass.EVERY_NAMESPACE ? Set.of(0L, 7L, 8L) : new HashSet<>(List.of(0L, whole));
            return new KernelPass(List.of(socket(1, TcpState.ESTABLISHED, true, 1000)), Map.of(), 0, complete);
        }, inode -> 0, clock::incrementAndGet);
        long minute = 60_000_000_000L;
        perNamespace.snapshot(minute, 0);
        perNamespace.snapshot(minute, 0);
        assertEquals(List.of(0L), asked, "the agent's own namespace: one pass, then reused");
        perNamespace.snapshot(minute, 7);
        perNamespace.snapshot(minute, 7);
        assertEquals(List.of(0L, 7L), asked, "another context: a pass of its namespace");
        perNamespace.snapshot(minute, 8);
        perNamespace.snapshot(minute);
        assertEquals(List.of(0L, 7L, 8L, KernelPass.EVERY_NAMESPACE), asked);
        perNamespace.snapshot(minute, 7);
        perNamespace.snapshot(minute, 9);
        perNamespace.snapshot(minute, 0);
        assertEquals(List.of(0L, 7L, 8L, KernelPass.EVERY_NAMESPACE), asked, "a pass of every namespace serves each");
        assertEquals(List.of(0L, 7L, 8L, KernelPass.EVERY_NAMESPACE, 7L), askedAfter(perNamespace, asked, 0, 7),
                "a request older than the max age passes again");
    }

    @Test
    void aSlowPassIsWarnedOfAtMostOnceAMinuteWithHowManyThereWere() {
        List<String> warnings = new ArrayList<>();
        AbstractAppender capture = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                warnings.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
            }
        };
        capture.start();
        Logger logger = (Logger) LogManager.getLogger(EstatsStore.class);
        logger.addAppender(capture);
        try {
            long second = 1_000_000_000L;
            AtomicLong passTakes = new AtomicLong(2 * second);
            EstatsStore slow = new EstatsStore(() -> {
                clock.addAndGet(passTakes.get());
                return new KernelPass(List.of(socket(1, TcpState.ESTABLISHED, true, 1000)), Map.of(), 0, Set.of(0L));
            }, inode -> 0, clock::incrementAndGet);
            slow.snapshot(0);
            slow.snapshot(0);
            passTakes.set(second / 2);
            slow.snapshot(0);
            assertEquals(1, warnings.size(), "the first slow pass is warned of, the next within a minute not: " + warnings);
            assertTrue(warnings.get(0).startsWith("WARN a kernel pass of 1 sockets took 2000 ms (1 such passes"),
                    warnings.get(0));
            clock.addAndGet(60 * second);
            passTakes.set(3 * second / 2);
            slow.snapshot(0);
            assertEquals(2, warnings.size(), warnings.toString());
            assertTrue(warnings.get(1).contains("took 1500 ms (2 such passes since the last warning)"), warnings.get(1));
        } finally {
            logger.removeAppender(capture);
        }
    }

    @Test
    void anIdleConnectionsRecordIsHeldOnceAcrossPasses() {
        SocketRecord idle = socket(1, TcpState.ESTABLISHED, true, 1000).with(Field.NOW_NS, 5);
        SocketRecord busy = socket(2, TcpState.ESTABLISHED, true, 1001).with(Field.NOW_NS, 5);
        passes.add(List.of(idle, busy));
        // the next pass reads both again: a new time, and new data on the busy one
        passes.add(List.of(socket(1, TcpState.ESTABLISHED, true, 1000).with(Field.NOW_NS, 9),
                socket(2, TcpState.ESTABLISHED, true, 1001).with(Field.NOW_NS, 9).with(Field.BYTES_SENT, 1448)));
        EstatsSnapshot first = store.snapshot(0);
        EstatsSnapshot second = store.snapshot(0);
        SocketRecord idleBefore = first.connections().get(0).socket();
        SocketRecord idleAfter = second.connections().get(0).socket();
        assertSame(idleBefore.fields(), idleAfter.fields(), "equal field bytes are shared by the two snapshots");
        assertSame(idleBefore.local(), idleAfter.local());
        assertEquals(5, idleBefore.get(Field.NOW_NS));
        assertEquals(9, idleAfter.get(Field.NOW_NS), "each record keeps its own time");
        SocketRecord busyAfter = second.connections().get(1).socket();
        assertNotSame(first.connections().get(1).socket().fields(), busyAfter.fields());
        assertEquals(1448, busyAfter.get(Field.BYTES_SENT));
        assertEquals(0, first.connections().get(1).socket().get(Field.BYTES_SENT), "the first snapshot is unchanged");
    }

    private static List<Long> askedAfter(EstatsStore store, List<Long> asked, long maxAge, long netns) {
        store.snapshot(maxAge, netns);
        return asked;
    }

    @Test
    void listenersGetTheirEndpointsCountsExactOrWildcard() {
        SocketRecord wildcard = new SocketRecord(50, 500, TcpState.LISTEN, new Endpoint(new byte[4], 80),
                new Endpoint(new byte[4], 0), false, 0, 0, socket(1, TcpState.LISTEN, false, 80).fields());
        SocketRecord exact = new SocketRecord(51, 510, TcpState.LISTEN, new Endpoint(new byte[]{10, 0, 0, 1}, 81),
                new Endpoint(new byte[4], 0), false, 0, 0, wildcard.fields());
        SocketRecord accepted = new SocketRecord(60, 600, TcpState.ESTABLISHED,
                new Endpoint(new byte[]{127, 0, 0, 1}, 80), new Endpoint(new byte[]{127, 0, 0, 1}, 4000), true, 0, 0,
                wildcard.fields()).with(Field.ACTIVE_OPEN, 2);
        passes.add(List.of(wildcard, exact, accepted));
        counts.add(Map.of(new ListenEndpoint(0, new Endpoint(new byte[]{127, 0, 0, 1}, 80)), new long[]{3, 2},
                new ListenEndpoint(0, new Endpoint(new byte[]{10, 0, 0, 1}, 81)), new long[]{1, 1}));
        EstatsSnapshot s = store.snapshot(0);
        ListenerRow l80 = s.listeners().get(0);
        assertEquals(List.of(3L, 2L, 1L), List.of(l80.initial(), l80.established(), l80.curConns()));
        ListenerRow l81 = s.listeners().get(1);
        assertEquals(List.of(1L, 1L, 0L), List.of(l81.initial(), l81.established(), l81.curConns()));
        assertFalse(s.connections().getFirst().activeOpen());
    }

    @Test
    void rowsGetIndexesAndPidsListenersAreLeftOut() {
        passes.add(List.of(socket(1, TcpState.ESTABLISHED, true, 1000), socket(2, TcpState.LISTEN, false, 80),
                socket(3, TcpState.TIME_WAIT, false, 1001)));
        EstatsSnapshot s = store.snapshot(0);
        assertEquals(2, s.connections().size());
        ConnectionRow established = s.connections().get(0);
        assertEquals(1, established.connectIndex());
        assertEquals(11, established.pid());
        assertFalse(s.connections().get(1).hasStats(), "TIME_WAIT has no statistics row");
    }

    @Test
    void indexesAreStableAcrossPassesAndNotReusedAfterClose() {
        passes.add(List.of(socket(1, TcpState.ESTABLISHED, true, 1000), socket(2, TcpState.ESTABLISHED, true, 1001)));
        passes.add(List.of(socket(2, TcpState.ESTABLISHED, true, 1001), socket(3, TcpState.ESTABLISHED, true, 1002)));
        EstatsSnapshot first = store.snapshot(0);
        assertEquals(List.of(1L, 2L), first.connections().stream().map(ConnectionRow::connectIndex).toList());
        EstatsSnapshot second = store.snapshot(0);
        assertEquals(List.of(2L, 3L), second.connections().stream().map(ConnectionRow::connectIndex).toList());
    }

    private static LifecycleEvent event(LifecycleEvent.Kind kind, SocketRecord record) {
        return new LifecycleEvent(kind, 0, TcpState.ESTABLISHED, kind == LifecycleEvent.Kind.CLOSED
                ? TcpState.CLOSE : TcpState.ESTABLISHED, record);
    }

    @Test
    void eventsAssignAtEstablishAndReleaseAtClose() {
        store.onEvent(event(LifecycleEvent.Kind.ESTABLISHED, socket(9, TcpState.ESTABLISHED, false, 1000)));
        passes.add(List.of(socket(9, TcpState.ESTABLISHED, true, 1000)));
        assertEquals(1, store.snapshot(0).connections().getFirst().connectIndex());
        store.onEvent(event(LifecycleEvent.Kind.CLOSED, socket(9, TcpState.CLOSE, true, 1000)));
        passes.set(0, List.of(socket(10, TcpState.ESTABLISHED, true, 1000)));
        assertEquals(2, store.snapshot(0).connections().getFirst().connectIndex());
        assertEquals(2, store.establishedSeen(), "cookie 10 came without an event: the pass adopted it");
        assertEquals(1, store.repairs());
        assertEquals(1, store.closedSeen());
    }

    @Test
    void closedRowsStayForTheLatencyWithTheirIndexThenGo() throws Exception {
        store.retainClosedFor(() -> 1);
        passes.add(List.of(socket(9, TcpState.ESTABLISHED, true, 1000)));
        assertEquals(1, store.snapshot(0).connections().getFirst().connectIndex());
        store.onEvent(event(LifecycleEvent.Kind.CLOSED, socket(9, TcpState.CLOSE, true, 1000)
                .with(Field.BYTES_SENT, 777)));
        passes.set(0, List.of(socket(10, TcpState.ESTABLISHED, true, 1001)));
        EstatsSnapshot during = store.snapshot(0);
        ConnectionRow kept = during.connections().stream().filter(ConnectionRow::retained).findFirst().orElseThrow();
        assertEquals(1, kept.connectIndex());
        assertEquals(777, kept.socket().get(Field.BYTES_SENT), "the final values");
        assertEquals(2, during.connections().stream().filter(c -> !c.retained()).findFirst().orElseThrow()
                .connectIndex(), "a retained index is not reused");
        clock.addAndGet(1_100_000_000L); // past the one-second latency
        assertTrue(store.snapshot(0).connections().stream().noneMatch(ConnectionRow::retained));
        assertEquals(0, store.retainedCount());
    }

    @Test
    void aCloseThatArrivesWhileAPassReadsTheSocketIsNotUndoneByThePass() {
        SocketRecord open = socket(9, TcpState.ESTABLISHED, true, 1000);
        AtomicInteger pass = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<EstatsStore> racing = new java.util.concurrent.atomic.AtomicReference<>();
        // the second pass lists the socket, and its close is delivered before the pass returns
        EstatsStore store = new EstatsStore(() -> {
            int n = pass.incrementAndGet();
            if (n == 2) {
                racing.get().onEvent(event(LifecycleEvent.Kind.CLOSED, socket(9, TcpState.CLOSE, true, 1000)));
            }
            return new KernelPass(n <= 2 ? List.of(open) : List.of(), Map.of(), 0, Set.of(0L));
        }, inode -> inode + 1, clock::incrementAndGet);
        racing.set(store);
        List<Long> closes = new ArrayList<>();
        store.addListener(new EstatsStore.Listener() {
            @Override
            public void established(long connectIndex, SocketRecord record) {
            }

            @Override
            public void closed(long connectIndex, SocketRecord record) {
                closes.add(connectIndex);
            }
        });
        assertEquals(1, store.snapshot(0).connections().size());
        assertEquals(List.of(), store.snapshot(0).connections(), "closed: its last reading is older than its close");
        clock.addAndGet(61_000_000_000L); // past the store's memory of recent closes
        store.snapshot(0);
        assertEquals(List.of(1L), closes, "closed once");
        assertEquals(0, store.repairs());
    }

    @Test
    void aLateEstablishAfterItsCloseKeepsTheIndexItHad() {
        passes.add(List.of());
        List<Long> indexes = new ArrayList<>();
        store.addListener(new EstatsStore.Listener() {
            @Override
            public void established(long connectIndex, SocketRecord record) {
                indexes.add(connectIndex);
            }

            @Override
            public void closed(long connectIndex, SocketRecord record) {
                indexes.add(connectIndex);
            }
        });
        store.onEvent(event(LifecycleEvent.Kind.CLOSED, socket(9, TcpState.CLOSE, true, 1000)));
        store.onEvent(event(LifecycleEvent.Kind.ESTABLISHED, socket(9, TcpState.ESTABLISHED, false, 1000)));
        assertEquals(1, store.establishedSeen());
        assertEquals(1, store.closedSeen());
        assertEquals(List.of(1L, 1L), indexes);
    }

    @Test
    void closesAreRememberedForTwoSecondsNotMoreSoThatChurnCannotFillTheHeap() {
        passes.add(List.of());
        store.onEvent(event(LifecycleEvent.Kind.CLOSED, socket(9, TcpState.CLOSE, true, 1000)));
        store.onEvent(event(LifecycleEvent.Kind.ESTABLISHED, socket(9, TcpState.ESTABLISHED, false, 1000)));
        store.snapshot(0);
        assertEquals(0, store.repairs(), "a late establish within the memory is the closed connection's");
        clock.addAndGet(2_100_000_000L);
        // the next close forgets the older ones, without a pass
        store.onEvent(event(LifecycleEvent.Kind.CLOSED, socket(10, TcpState.CLOSE, true, 1001)));
        store.onEvent(event(LifecycleEvent.Kind.ESTABLISHED, socket(9, TcpState.ESTABLISHED, false, 1000)));
        store.snapshot(0);
        assertEquals(1, store.repairs(), "cookie 9, forgotten, opened again; the pass found it gone");
    }

    @Test
    void aSnapshotIsReusedWithinItsMaxAge() {
        passes.add(List.of(socket(1, TcpState.ESTABLISHED, true, 1000)));
        EstatsSnapshot a = store.snapshot(60_000_000_000L);
        EstatsSnapshot b = store.snapshot(60_000_000_000L);
        assertSame(a, b);
        assertEquals(1, passCount.get());
        assertNotSame(a, store.snapshot(0));
        assertEquals(2, passCount.get());
    }
}
