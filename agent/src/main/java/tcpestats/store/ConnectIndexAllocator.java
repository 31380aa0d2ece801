package tcpestats.store;

import java.util.HashMap;
import java.util.Map;

/**
 * tcpEStatsConnectIndex per socket cookie: assigned sequentially from 1, wrapping
 * after 2^32-1 and skipping indexes still in use, so an index is never reused while
 * its row is visible.
 */
final class ConnectIndexAllocator {
    static final long MAX_INDEX = 0xFFFF_FFFFL;

    private record Assignment(long index, long assignedAtNanos) {
    }

    private final Map<Long, Assignment> byCookie = new HashMap<>();
    private final java.util.Set<Long> inUse = new java.util.HashSet<>();
    private long next;

    ConnectIndexAllocator(long firstIndex) {
        this.next = firstIndex;
    }

    /** The index of {@code cookie}, assigning one if it has none. */
    synchronized long indexOf(long cookie, long nowNanos) {
        Assignment a = byCookie.get(cookie);
        if (a != null) {
            return a.index();
        }
        if (inUse.size() >= MAX_INDEX) {
            throw new IllegalStateException("every tcpEStatsConnectIndex is in use");
        }
        long index;
        do {
            index = next;
            next = next >= MAX_INDEX ? 1 : next + 1;
        } while (inUse.contains(index));
        inUse.add(index);
        byCookie.put(cookie, new Assignment(index, nowNanos));
        return index;
    }

    synchronized void release(long cookie) {
        Assignment a = byCookie.remove(cookie);
        if (a != null) {
            inUse.remove(a.index());
        }
    }

    /**
     * Releases cookies that a complete pass started at {@code passStartNanos} did not
     * see, unless they were assigned after the pass began (the pass may have missed them).
     */
    synchronized void retainOnly(java.util.Set<Long> seen, long passStartNanos) {
        byCookie.entrySet().removeIf(e -> {
            boolean gone = !seen.contains(e.getKey()) && e.getValue().assignedAtNanos() < passStartNanos;
            if (gone) {
                inUse.remove(e.getValue().index());
            }
            return gone;
        });
    }

    /** Whether {@code cookie} has an index. */
    synchronized boolean has(long cookie) {
        return byCookie.containsKey(cookie);
    }

    synchronized int size() {
        return byCookie.size();
    }
}
