package tcpestats.store;

import java.util.List;

/**
 * Every TCP connection and listener at one instant. Immutable: one snapshot serves a
 * whole walk, so the tables of one walk agree with each other.
 *
 * @param takenAtNanos         System.nanoTime() when the kernel was read
 * @param listenerChangedNanos when a listener was last created or closed (monotonic), 0 if never seen
 */
public record EstatsSnapshot(long takenAtNanos, List<ConnectionRow> connections, List<ListenerRow> listeners,
                             long listenerChangedNanos) {
    public EstatsSnapshot {
        connections = List.copyOf(connections);
        listeners = List.copyOf(listeners);
    }

    /** The same instant, with only the rows of network namespace {@code netns} (its inode). */
    public EstatsSnapshot of(long netns) {
        return new EstatsSnapshot(takenAtNanos, connections.stream().filter(r -> r.socket().netns() == netns).toList(),
                listeners.stream().filter(r -> r.socket().netns() == netns).toList(), listenerChangedNanos);
    }
}
