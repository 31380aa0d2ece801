package tcpestats.store;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import tcpestats.collect.Endpoint;
import tcpestats.collect.Field;
import tcpestats.collect.KernelPass;
import tcpestats.collect.ListenEndpoint;
import tcpestats.collect.LifecycleEvent;
import tcpestats.collect.SocketRecord;
import tcpestats.collect.TcpState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/**
 * Holds the rows served over SNMP. Reads go through {@link #snapshot(long)}: a new
 * kernel pass is taken only when the last one is older than the requested age, and
 * concurrent readers share it. A closed connection's final row stays visible for
 * tcpEStatsConnTableLatency seconds, with its connect index.
 */
public final class EstatsStore {
    private static final Logger LOG = LogManager.getLogger(EstatsStore.class);
    /** A pass this long is logged: a request waiting for it reaches net-snmp's default timeout (1 s). */
    private static final long SLOW_PASS_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long SLOW_PASS_WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    /**
     * How long a close is remembered, and while a pass runs from its start on: a late establish
     * event (from the spill map, delivered with the close) keeps the index the close had, and a
     * pass that listed the socket before its close came does not bring it back. Short, because
     * a churning host closes tens of thousands of sockets a second.
     */
    private static final long CLOSED_MEMORY_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** Hears each connection's establishment and close, with its connect index. */
    public interface Listener {
        void established(long connectIndex, SocketRecord record);

        void closed(long connectIndex, SocketRecord record);
    }

    private record Retained(ConnectionRow row, long expiresAtNanos) {
    }

    private final Map<Long, Retained> retained = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Long, Long> recentlyClosed = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Long, Long> closedIndexes = new java.util.concurrent.ConcurrentHashMap<>();
    /** The cookies of recentlyClosed, oldest first, to forget them in order (under its own lock). */
    private final java.util.ArrayDeque<Long> closeOrder = new java.util.ArrayDeque<>();
    /** Whether a pass is running, and since when: the closes since then are kept until it ends. */
    private volatile boolean passRunning;
    private volatile long passStartedNanos;
    private final java.util.List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong establishedSeen = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong closedSeen = new java.util.concurrent.atomic.AtomicLong();
    private volatile LongSupplier latencySeconds = () -> 0;
    /**
     * An open connection: its latest record (from its establish event or a pass) and when it was
     * first known. A pass updates the record in place: a new entry per socket and pass was a
     * fifth of a pass's CPU, and could bring back a connection whose close came meanwhile.
     */
    private static final class Opened {
        private volatile SocketRecord record;
        private final long sinceNanos;

        Opened(SocketRecord record, long sinceNanos) {
            this.record = record;
            this.sinceNanos = sinceNanos;
        }

        SocketRecord record() {
            return record;
        }

        long sinceNanos() {
            return sinceNanos;
        }
    }

    private final Map<Long, Opened> open = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong repairs = new java.util.concurrent.atomic.AtomicLong();
    private boolean firstPass = true;
    /** Passes of at least SLOW_PASS_NANOS since the last warning of them (under passLock, as the two below). */
    private int slowPasses;
    private boolean warnedSlowPass;
    private long lastSlowWarningNanos;

    /** One read of the kernel that lists network namespace {@code whole} (or every one) whole. */
    @FunctionalInterface
    public interface KernelSource {
        KernelPass pass(long whole);
    }

    private final KernelSource kernel;
    private final LongUnaryOperator pidOfInode;
    private final LongSupplier nanoTime;
    private final ConnectIndexAllocator indexes = new ConnectIndexAllocator(1);
    private final Object passLock = new Object();
    private volatile EstatsSnapshot current;

    /**
     * @param kernel     one read of the kernel (the iterator and maps, or recorded data in tests)
     * @param pidOfInode process holding a socket inode, 0 if none
     */
    public EstatsStore(KernelSource kernel, LongUnaryOperator pidOfInode) {
        this(kernel, pidOfInode, System::nanoTime);
    }

    /**
     * @param nanoTime the monotonic clock (System.nanoTime; tests move their own) that snapshot
     *                 ages, retention and first sight are measured with
     */
    public EstatsStore(KernelSource kernel, LongUnaryOperator pidOfInode, LongSupplier nanoTime) {
        this.kernel = kernel;
        this.pidOfInode = pidOfInode;
        this.nanoTime = nanoTime;
    }

    /** A store whose every pass is {@code kernel}'s (tests: recorded data), on {@code nanoTime}. */
    public EstatsStore(Supplier<KernelPass> kernel, LongUnaryOperator pidOfInode, LongSupplier nanoTime) {
        this(whole -> kernel.get(), pidOfInode, nanoTime);
    }

    /** As {@link #EstatsStore(Supplier, LongUnaryOperator, LongSupplier)} on System.nanoTime. */
    public EstatsStore(Supplier<KernelPass> kernel, LongUnaryOperator pidOfInode) {
        this(kernel, pidOfInode, System::nanoTime);
    }

    /** Where tcpEStatsConnTableLatency comes from (0 by default: closed rows go at once). */
    public void retainClosedFor(LongSupplier seconds) {
        this.latencySeconds = seconds;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** Connections whose establishment the store has seen. */
    public long establishedSeen() {
        return establishedSeen.get();
    }

    /** Connections whose close the store has seen. */
    public long closedSeen() {
        return closedSeen.get();
    }

    /**
     * Establishments and closes the store learned from a kernel pass because their event
     * never came (the kernel skips a tracepoint program that is already running on the
     * same CPU, e.g. when a softirq interrupts it).
     */
    public long repairs() {
        return repairs.get();
    }

    /** Closed connections still visible. */
    public int retainedCount() {
        return retained.size();
    }

    /** A snapshot of every network namespace taken at most {@code maxAgeNanos} ago. */
    public EstatsSnapshot snapshot(long maxAgeNanos) {
        return snapshot(maxAgeNanos, KernelPass.EVERY_NAMESPACE);
    }

    /**
     * A snapshot taken at most {@code maxAgeNanos} ago that lists network namespace {@code netns}
     * whole ({@link KernelPass#EVERY_NAMESPACE}: every one); a new pass lists only that one besides
     * the agent's own.
     */
    public EstatsSnapshot snapshot(long maxAgeNanos, long netns) {
        EstatsSnapshot s = current;
        if (fresh(s, maxAgeNanos, netns)) {
            return s;
        }
        synchronized (passLock) {
            s = current;
            if (fresh(s, maxAgeNanos, netns)) {
                return s;
            }
            long start = nanoTime.getAsLong();
            passStartedNanos = start;
            passRunning = true;
            try {
                s = takePass(netns, start);
            } finally {
                passRunning = false;
            }
            current = s;
            return s;
        }
    }

    private boolean fresh(EstatsSnapshot s, long maxAgeNanos, long netns) {
        return s != null && nanoTime.getAsLong() - s.takenAtNanos() <= maxAgeNanos
                && (netns == KernelPass.EVERY_NAMESPACE ? s.everyNamespace() : s.covers(netns));
    }

    private EstatsSnapshot takePass(long whole, long start) {
        long repairsBefore = repairs.get();
        KernelPass pass = kernel.pass(whole);
        List<SocketRecord> listenSockets = new ArrayList<>();
        Set<Long> listeningPorts = new HashSet<>();
        for (SocketRecord s : pass.sockets()) {
            if (s.state() == TcpState.LISTEN) {
                listenSockets.add(s);
                listeningPorts.add(portInNamespace(s));
            }
        }
        List<ConnectionRow> rows = new ArrayList<>(pass.sockets().size());
        Set<Long> seen = new HashSet<>();
        expireRetained(start);
        for (SocketRecord read : pass.sockets()) {
            if (read.state() == TcpState.LISTEN) {
                continue;
            }
            SocketRecord s = read;
            long index = 0;
            if (s.hasStats()) {
                Long cookie = s.cookie(); // boxed once for the maps below
                Opened before = open.get(cookie);
                if (before == null && recentlyClosed.containsKey(cookie)) {
                    // its close came while this pass read it: the close is newer (a kept row is retained)
                    continue;
                }
                // whether anything was known of it: asked only of a socket no establishment was seen for
                boolean known = before != null || indexes.has(cookie);
                index = indexes.indexOf(cookie, start);
                seen.add(cookie);
                if (before != null) {
                    s = read.sharingWith(before.record());
                    before.record = s;
                } else {
                    open.put(cookie, new Opened(s, start));
                }
                if (before == null && !known && !firstPass) {
                    // established without an establish event
                    long adopted = index;
                    repairs.incrementAndGet();
                    establishedSeen.incrementAndGet();
                    listeners.forEach(l -> l.established(adopted, read));
                }
            }
            long opened = s.get(Field.ACTIVE_OPEN);
            boolean active = opened == 1 || opened == 0 && !listeningPorts.contains(portInNamespace(s));
            rows.add(new ConnectionRow(s, index, pidOfInode, active, false));
        }
        for (Map.Entry<Long, Opened> e : open.entrySet()) { // closes below remove entries: allowed here
            long cookie = e.getKey();
            if (e.getValue().sinceNanos() < start && !seen.contains(cookie) && !recentlyClosed.containsKey(cookie)
                    && pass.complete().contains(e.getValue().record().netns())) {
                // gone without a close event: close it with what was last known of it (only in a
                // namespace the pass lists whole: elsewhere a socket no process holds is not listed)
                repairs.incrementAndGet();
                SocketRecord last = e.getValue().record();
                onEvent(new LifecycleEvent(LifecycleEvent.Kind.CLOSED, start, last.state(), TcpState.CLOSE, last));
            }
        }
        firstPass = false;
        for (Retained r : retained.values()) {
            if (!seen.contains(r.row().socket().cookie())) {
                rows.add(r.row());
            }
        }
        seen.addAll(retained.keySet());
        indexes.retainOnly(seen, start);
        List<ListenerRow> listeners = listeners(listenSockets, rows, pass.listenCounts());
        if (repairs.get() > repairsBefore) {
            LOG.info("kernel pass found {} establishments or closes whose event never came ({} since the start)",
                    repairs.get() - repairsBefore, repairs.get());
        }
        long tookNanos = nanoTime.getAsLong() - start;
        LOG.debug("kernel pass: {} sockets, {} connections, {} listeners in {} us", pass.sockets().size(),
                rows.size(), listeners.size(), tookNanos / 1000);
        if (tookNanos >= SLOW_PASS_NANOS) {
            slowPasses++;
            if (!warnedSlowPass || start - lastSlowWarningNanos >= SLOW_PASS_WARNING_INTERVAL_NANOS) {
                LOG.warn("a kernel pass of {} sockets took {} ms ({} such passes since the last warning): requests "
                                + "that need a new snapshot wait for it, and net-snmp's tools give up after 1 s by "
                                + "default (-t); raise estatsSnapshotMaxAge to take fewer", pass.sockets().size(),
                        tookNanos / 1_000_000, slowPasses);
                warnedSlowPass = true;
                lastSlowWarningNanos = start;
                slowPasses = 0;
            }
        }
        Set<Long> namespaces = new HashSet<>(pass.complete());
        if (whole != KernelPass.EVERY_NAMESPACE) {
            // as whole as this agent can list it (without CAP_SYS_ADMIN: what processes hold)
            namespaces.add(whole);
        }
        return new EstatsSnapshot(start, rows, listeners, pass.listenerChangedNanos(),
                whole == KernelPass.EVERY_NAMESPACE, namespaces);
    }

    /** A socket's local port within its network namespace, as one number. */
    private static long portInNamespace(SocketRecord s) {
        return s.netns() << 16 | s.local().port();
    }

    /**
     * Attributes handshake counts and accepted connections to listeners: an endpoint
     * counts for the listener of its network namespace bound to exactly it, else for the
     * wildcard listener of its port.
     */
    private List<ListenerRow> listeners(List<SocketRecord> sockets, List<ConnectionRow> connections,
                                        Map<ListenEndpoint, long[]> counts) {
        Map<Long, long[]> byListener = new HashMap<>();
        for (Map.Entry<ListenEndpoint, long[]> e : counts.entrySet()) {
            SocketRecord owner = owner(sockets, e.getKey().netnsCookie(), e.getKey().endpoint());
            if (owner != null) {
                long[] sum = byListener.computeIfAbsent(owner.cookie(), c -> new long[3]);
                sum[0] += e.getValue()[0];
                sum[1] += e.getValue()[1];
            }
        }
        for (ConnectionRow c : connections) {
            // accepted: the application holds it (it has a struct socket); passive: not opened by connect()
            if (c.socket().state() == TcpState.ESTABLISHED && !c.activeOpen() && c.socket().inode() != 0) {
                SocketRecord owner = owner(sockets, c.socket().get(Field.NETNS_COOKIE), c.socket().local());
                if (owner != null) {
                    byListener.computeIfAbsent(owner.cookie(), k -> new long[3])[2]++;
                }
            }
        }
        List<ListenerRow> rows = new ArrayList<>(sockets.size());
        for (SocketRecord s : sockets) {
            long[] sum = byListener.getOrDefault(s.cookie(), new long[3]);
            rows.add(new ListenerRow(s, pidOfInode.applyAsLong(s.inode()), sum[0], sum[1], sum[2]));
        }
        return rows;
    }

    private static SocketRecord owner(List<SocketRecord> listeners, long netnsCookie, Endpoint local) {
        SocketRecord wildcard = null;
        for (SocketRecord l : listeners) {
            if (l.local().port() != local.port() || l.get(Field.NETNS_COOKIE) != netnsCookie) {
                continue;
            }
            if (l.local().sameAs(local)) {
                return l;
            }
            if (l.local().isUnspecified() && (l.local().address().length == local.address().length
                    || l.local().address().length == 0)) {
                wildcard = l;
            }
        }
        return wildcard;
    }

    /** Forgets the current snapshot: the next read sees the kernel as it is now (after a SET). */
    public void invalidate() {
        current = null;
    }

    private void expireRetained(long now) {
        retained.entrySet().removeIf(e -> {
            boolean expired = now - e.getValue().expiresAtNanos() >= 0;
            if (expired) {
                indexes.release(e.getKey());
            }
            return expired;
        });
        forgetOldCloses(now);
    }

    /** Forgets the closes older than CLOSED_MEMORY_NANOS, but none since a running pass started. */
    private void forgetOldCloses(long now) {
        boolean keepForPass = passRunning;
        long passStart = passStartedNanos;
        synchronized (closeOrder) {
            for (Long cookie = closeOrder.peekFirst(); cookie != null; cookie = closeOrder.peekFirst()) {
                Long at = recentlyClosed.get(cookie);
                if (at != null && (now - at <= CLOSED_MEMORY_NANOS || keepForPass && at - passStart >= 0)) {
                    return;
                }
                closeOrder.pollFirst();
                recentlyClosed.remove(cookie);
                closedIndexes.remove(cookie);
            }
        }
    }

    /**
     * Lifecycle events keep connect indexes exact between passes, keep closed rows for
     * tcpEStatsConnTableLatency, and reach the listeners (notifications).
     */
    public void onEvent(LifecycleEvent event) {
        long now = nanoTime.getAsLong();
        long cookie = event.cookie();
        switch (event.kind()) {
            case ESTABLISHED -> {
                Long closedIndex = closedIndexes.get(cookie);
                // delivered late from the spill map, after its close: count it, keep the index it had
                long index = closedIndex != null ? closedIndex : indexes.indexOf(cookie, now);
                if (closedIndex == null && open.putIfAbsent(cookie, new Opened(event.record(), now)) != null) {
                    return; // already adopted by a kernel pass
                }
                establishedSeen.incrementAndGet();
                listeners.forEach(l -> l.established(index, event.record()));
            }
            case CLOSED -> {
                forgetOldCloses(now);
                if (recentlyClosed.putIfAbsent(cookie, now) != null) {
                    return;
                }
                synchronized (closeOrder) {
                    closeOrder.addLast(cookie);
                }
                long index = indexes.indexOf(cookie, now);
                closedIndexes.put(cookie, index);
                open.remove(cookie);
                closedSeen.incrementAndGet();
                long latency = latencySeconds.getAsLong();
                SocketRecord last = event.record();
                if (latency > 0 && last.hasStats()) {
                    ConnectionRow row = new ConnectionRow(last, index, inode -> 0, last.get(Field.ACTIVE_OPEN) == 1,
                            true);
                    retained.put(cookie, new Retained(row, now + latency * 1_000_000_000L));
                } else {
                    indexes.release(cookie);
                }
                listeners.forEach(l -> l.closed(index, last));
            }
        }
    }
}
