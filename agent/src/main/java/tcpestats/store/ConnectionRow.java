package tcpestats.store;

import tcpestats.collect.SocketRecord;

import java.util.function.LongUnaryOperator;

/**
 * A connection as the SNMP layer serves it: the kernel's record, its
 * tcpEStatsConnectIndex (0 when it has no statistics row, e.g. TIME_WAIT), the pid of
 * the owning process (0 if none), and whether it was opened actively.
 * <p>
 * The pid is looked up when first read and then kept with the row (a walk reads one snapshot's
 * rows, so it sees one pid per row): looking up every socket's at every kernel pass was a fifth
 * of a pass, and only tcpConnectionProcess reads it.
 */
public final class ConnectionRow implements StoreRow {
    private static final long UNKNOWN = -1;

    private final SocketRecord socket;
    private final long connectIndex;
    private final LongUnaryOperator pidOfInode;
    private final boolean activeOpen;
    private final boolean retained;
    private volatile long pid = UNKNOWN;

    /**
     * @param pidOfInode the process holding a socket inode, 0 if none
     * @param activeOpen seen at connect() or the passive handshake; for a connection older
     *                   than the agent, false when its local port has a listener
     * @param retained   a closed connection kept for tcpEStatsConnTableLatency with its final values
     */
    public ConnectionRow(SocketRecord socket, long connectIndex, LongUnaryOperator pidOfInode, boolean activeOpen,
                         boolean retained) {
        this.socket = socket;
        this.connectIndex = connectIndex;
        this.pidOfInode = pidOfInode;
        this.activeOpen = activeOpen;
        this.retained = retained;
    }

    /** A row whose process is known: {@code pid}. */
    public ConnectionRow(SocketRecord socket, long connectIndex, long pid, boolean activeOpen) {
        this(socket, connectIndex, inode -> pid, activeOpen, false);
    }

    @Override
    public SocketRecord socket() {
        return socket;
    }

    public long connectIndex() {
        return connectIndex;
    }

    @Override
    public long pid() {
        long p = pid;
        if (p == UNKNOWN) {
            p = pidOfInode.applyAsLong(socket.inode());
            pid = p;
        }
        return p;
    }

    public boolean activeOpen() {
        return activeOpen;
    }

    public boolean retained() {
        return retained;
    }

    public boolean hasStats() {
        return connectIndex != 0;
    }

    @Override
    public String toString() {
        return "ConnectionRow[" + socket.local() + " " + socket.remote() + " index " + connectIndex
                + (retained ? " retained" : "") + "]";
    }
}
