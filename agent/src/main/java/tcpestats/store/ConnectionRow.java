package tcpestats.store;

import tcpestats.collect.SocketRecord;

/**
 * A connection as the SNMP layer serves it: the kernel's record, its
 * tcpEStatsConnectIndex (0 when it has no statistics row, e.g. TIME_WAIT), the pid of
 * the owning process (0 if none), and whether it was opened actively.
 *
 * @param activeOpen seen at connect() or the passive handshake; for a connection older
 *                   than the agent, false when its local port has a listener
 * @param retained   a closed connection kept for tcpEStatsConnTableLatency with its final values
 */
public record ConnectionRow(SocketRecord socket, long connectIndex, long pid, boolean activeOpen, boolean retained)
        implements StoreRow {
    public ConnectionRow(SocketRecord socket, long connectIndex, long pid, boolean activeOpen) {
        this(socket, connectIndex, pid, activeOpen, false);
    }

    public boolean hasStats() {
        return connectIndex != 0;
    }
}
