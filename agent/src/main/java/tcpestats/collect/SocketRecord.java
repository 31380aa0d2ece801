package tcpestats.collect;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One TCP socket as the iterator saw it: its identity, and the numeric {@link Field}s
 * of the kernel record (unsigned values widened to long). When {@code hasStats} is
 * false (TIME_WAIT, request and listening sockets) only identity fields, and for
 * listeners the listener fields, are meaningful.
 *
 * @param nowNs  when the kernel wrote the record ({@link Field#NOW_NS})
 * @param fields the kernel record's bytes from the {@link Field} after NOW_NS on, as the kernel
 *               wrote them (about 530 bytes, where one long per field would take 1,000: the
 *               agent holds one for every socket of the host); read through {@link #get}. Records
 *               of one socket from two passes share them while they are equal (see
 *               {@link #sharingWith}).
 */
public record SocketRecord(long cookie, long inode, TcpState state, Endpoint local, Endpoint remote,
                           boolean hasStats, int caState, long nowNs, byte[] fields) {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    public SocketRecord {
        if (fields.length != Records.FIELDS_BYTES) {
            throw new IllegalArgumentException("expected " + Records.FIELDS_BYTES + " bytes of fields");
        }
    }

    /** The inode of the socket's network namespace. */
    public long netns() {
        return get(Field.NETNS);
    }

    public long get(Field f) {
        if (f == Field.NOW_NS) {
            return nowNs;
        }
        int at = Records.fieldOffset(f);
        return switch (f.bytes()) {
            case 1 -> Byte.toUnsignedLong(fields[at]);
            case 2 -> Short.toUnsignedLong((short) SHORT.get(fields, at));
            case 4 -> Integer.toUnsignedLong((int) INT.get(fields, at));
            default -> (long) LONG.get(fields, at);
        };
    }

    /** A copy with one field changed (tests build records this way). */
    public SocketRecord with(Field f, long value) {
        if (f == Field.NOW_NS) {
            return new SocketRecord(cookie, inode, state, local, remote, hasStats, caState, value, fields);
        }
        byte[] copy = fields.clone();
        int at = Records.fieldOffset(f);
        switch (f.bytes()) {
            case 1 -> copy[at] = (byte) value;
            case 2 -> SHORT.set(copy, at, (short) value);
            case 4 -> INT.set(copy, at, (int) value);
            default -> LONG.set(copy, at, value);
        }
        return new SocketRecord(cookie, inode, state, local, remote, hasStats, caState, nowNs, copy);
    }

    /**
     * This record, holding {@code earlier}'s field bytes and endpoints where they are equal:
     * a walk keeps the snapshot it started on while the next pass is taken, and an idle
     * connection's record is then held once, not twice.
     */
    public SocketRecord sharingWith(SocketRecord earlier) {
        if (earlier.cookie != cookie) {
            return this;
        }
        Endpoint sharedLocal = local.equals(earlier.local) ? earlier.local : local;
        Endpoint sharedRemote = remote.equals(earlier.remote) ? earlier.remote : remote;
        byte[] sharedFields = Arrays.equals(fields, earlier.fields) ? earlier.fields : fields;
        if (sharedLocal == local && sharedRemote == remote && sharedFields == fields) {
            return this; // decoded sharing already (Records.decodeSocket with the last pass's record)
        }
        return new SocketRecord(cookie, inode, state, sharedLocal, sharedRemote, hasStats, caState, nowNs, sharedFields);
    }

    /** An established connection with every field 0: the base of recorded test snapshots. */
    public static SocketRecord established(long cookie, Endpoint local, Endpoint remote) {
        return new SocketRecord(cookie, 0, TcpState.ESTABLISHED, local, remote, true, 0, 0,
                new byte[Records.FIELDS_BYTES]);
    }
}
