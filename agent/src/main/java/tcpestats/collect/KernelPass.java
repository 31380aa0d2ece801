package tcpestats.collect;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one read of the kernel returns.
 *
 * @param sockets              every TCP socket of the {@code complete} network namespaces, and those of the others
 *                             that a process holds
 * @param listenCounts         handshakes per local endpoint: [initial, established]
 * @param listenerChangedNanos CLOCK_MONOTONIC time of the last listener created or closed, 0 if none seen
 * @param complete             the network namespaces (inodes) whose every socket the pass lists: a socket of
 *                             one of them missing from the pass is gone
 */
public record KernelPass(List<SocketRecord> sockets, Map<ListenEndpoint, long[]> listenCounts,
                         long listenerChangedNanos, Set<Long> complete) {
    /** Asks a pass to list every network namespace whole, not one. */
    public static final long EVERY_NAMESPACE = -1;

    public KernelPass {
        sockets = List.copyOf(sockets);
        listenCounts = Map.copyOf(listenCounts);
        complete = Set.copyOf(complete);
    }

    /** A pass of recorded sockets, all of namespace 0 (tests). */
    public static KernelPass of(List<SocketRecord> sockets) {
        return new KernelPass(sockets, Map.of(), 0, Set.of(0L));
    }
}
