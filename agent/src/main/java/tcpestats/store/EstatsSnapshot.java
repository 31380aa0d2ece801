package tcpestats.store;

import java.util.List;
import java.util.Set;

/**
 * Every TCP connection and listener at one instant. Immutable: one snapshot serves a
 * whole walk, so the tables of one walk agree with each other.
 *
 * @param takenAtNanos         System.nanoTime() when the kernel was read
 * @param listenerChangedNanos when a listener was last created or closed (monotonic), 0 if never seen
 * @param everyNamespace       whether the pass listed every network namespace as well as it can
 * @param namespaces           else the namespaces (inodes) it did: the agent's own and the one asked for; of
 *                             the others it has only the sockets processes hold
 */
public record EstatsSnapshot(long takenAtNanos, List<ConnectionRow> connections, List<ListenerRow> listeners,
                             long listenerChangedNanos, boolean everyNamespace, Set<Long> namespaces) {
    public EstatsSnapshot {
        connections = List.copyOf(connections);
        listeners = List.copyOf(listeners);
        namespaces = Set.copyOf(namespaces);
    }

    /** Whether the rows of network namespace {@code netns} are all there as of this instant. */
    public boolean covers(long netns) {
        return everyNamespace || namespaces.contains(netns);
    }

    /** The same instant, with only the rows of network namespace {@code netns} (its inode). */
    public EstatsSnapshot of(long netns) {
        return new EstatsSnapshot(takenAtNanos, connections.stream().filter(r -> r.socket().netns() == netns).toList(),
                listeners.stream().filter(r -> r.socket().netns() == netns).toList(), listenerChangedNanos, false,
                Set.of(netns));
    }
}
