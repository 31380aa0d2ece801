package tcpestats.store;

import java.util.List;

/**
 * Every TCP connection (listeners excluded) at one instant. Immutable: one snapshot
 * serves a whole walk, so the tables of one walk agree with each other.
 *
 * @param takenAtNanos System.nanoTime() when the kernel was read
 */
public record EstatsSnapshot(long takenAtNanos, List<ConnectionRow> connections) {
    public EstatsSnapshot {
        connections = List.copyOf(connections);
    }
}
