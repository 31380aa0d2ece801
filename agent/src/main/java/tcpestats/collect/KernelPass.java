package tcpestats.collect;

import java.util.List;
import java.util.Map;

/**
 * What one read of the kernel returns.
 *
 * @param listenCounts         handshakes per local endpoint: [initial, established]
 * @param listenerChangedNanos CLOCK_MONOTONIC time of the last listener created or closed, 0 if none seen
 */
public record KernelPass(List<SocketRecord> sockets, Map<Endpoint, long[]> listenCounts, long listenerChangedNanos) {
    public KernelPass {
        sockets = List.copyOf(sockets);
        listenCounts = Map.copyOf(listenCounts);
    }

    public static KernelPass of(List<SocketRecord> sockets) {
        return new KernelPass(sockets, Map.of(), 0);
    }
}
