package tcpestats.collect;

import java.util.List;
import java.util.Map;

/**
 * What one read of the kernel returns.
 *
 * @param sockets              every TCP socket of {@code completeNetns}, and those of other network namespaces that
 *                             a process holds
 * @param listenCounts         handshakes per local endpoint: [initial, established]
 * @param listenerChangedNanos CLOCK_MONOTONIC time of the last listener created or closed, 0 if none seen
 * @param completeNetns        the network namespace (inode) whose every socket the pass lists: a socket of
 *                             it missing from the pass is gone
 */
public record KernelPass(List<SocketRecord> sockets, Map<ListenEndpoint, long[]> listenCounts,
                         long listenerChangedNanos, long completeNetns) {
    public KernelPass {
        sockets = List.copyOf(sockets);
        listenCounts = Map.copyOf(listenCounts);
    }

    /** A pass of recorded sockets, all of namespace 0 (tests). */
    public static KernelPass of(List<SocketRecord> sockets) {
        return new KernelPass(sockets, Map.of(), 0, 0);
    }
}
