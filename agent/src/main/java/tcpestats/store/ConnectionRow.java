package tcpestats.store;

import tcpestats.collect.SocketRecord;

/**
 * A connection as the SNMP layer serves it: the kernel's record, its
 * tcpEStatsConnectIndex (0 when it has no statistics row, e.g. TIME_WAIT) and the pid
 * of the owning process (0 if none).
 */
public record ConnectionRow(SocketRecord socket, long connectIndex, long pid) {
    public boolean hasStats() {
        return connectIndex != 0;
    }
}
