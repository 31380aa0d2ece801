package tcpestats.collect;

/**
 * One TCP socket as the iterator saw it: its identity, and the numeric {@link Field}s
 * of the kernel record (unsigned values widened to long). When {@code hasStats} is
 * false (TIME_WAIT, request and listening sockets) only identity fields, and for
 * listeners the listener fields, are meaningful.
 */
public record SocketRecord(long cookie, long inode, TcpState state, Endpoint local, Endpoint remote,
                           boolean hasStats, int caState, long[] fields) {
    public SocketRecord {
        if (fields.length != Field.values().length) {
            throw new IllegalArgumentException("expected " + Field.values().length + " fields");
        }
    }

    /** The inode of the socket's network namespace. */
    public long netns() {
        return get(Field.NETNS);
    }

    public long get(Field f) {
        return fields[f.ordinal()];
    }

    /** A copy with one field changed (tests build records this way). */
    public SocketRecord with(Field f, long value) {
        long[] copy = fields.clone();
        copy[f.ordinal()] = value;
        return new SocketRecord(cookie, inode, state, local, remote, hasStats, caState, copy);
    }

    /** An established connection with every field 0: the base of recorded test snapshots. */
    public static SocketRecord established(long cookie, Endpoint local, Endpoint remote) {
        return new SocketRecord(cookie, 0, TcpState.ESTABLISHED, local, remote, true, 0,
                new long[Field.values().length]);
    }
}
