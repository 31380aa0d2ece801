package tcpestats.collect;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Java view of the structs in bpf/estats.h. The layouts are checked against the BPF
 * object's BTF when the object is opened (and by a test), so drift fails loudly.
 */
public final class Records {
    /** enum estats_event_type, checked against the object's BTF at load. */
    public static final long EVENT_ESTABLISHED = 1;
    public static final long EVENT_CLOSED = 2;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;

    /** struct estats_acc, from the accumulated {@link Field}s. */
    public static final StructLayout ACC = struct(true, List.of(
            MemoryLayout.sequenceLayout(Field.ACC_TAIL_PADDING, JAVA_BYTE).withName("pad")));

    /** struct estats_sock_record: the socket's identity, then the other {@link Field}s, then the acc. */
    public static final StructLayout SOCK_RECORD;

    static {
        List<MemoryLayout> members = new ArrayList<>(List.of(
                JAVA_LONG.withName("cookie"),
                JAVA_LONG.withName("inode"),
                JAVA_BYTE.withName("family"),
                JAVA_BYTE.withName("state"),
                JAVA_BYTE.withName("has_stats"),
                JAVA_BYTE.withName("ca_state"),
                JAVA_SHORT.withName("local_port"),
                JAVA_SHORT.withName("remote_port"),
                MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("local_addr"),
                MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("remote_addr")));
        members.addAll(struct(false, List.of(
                MemoryLayout.sequenceLayout(Field.RECORD_PADDING, JAVA_BYTE).withName("pad1"))).memberLayouts());
        members.add(ACC.withName("acc"));
        SOCK_RECORD = MemoryLayout.structLayout(members.toArray(MemoryLayout[]::new));
    }

    public static final StructLayout EVENT = MemoryLayout.structLayout(
            JAVA_LONG.withName("time_ns"),
            JAVA_INT.withName("type"),
            JAVA_BYTE.withName("old_state"),
            JAVA_BYTE.withName("new_state"),
            JAVA_SHORT.withName("pad0"),
            SOCK_RECORD.withName("rec"));

    public static final StructLayout EVENT_KEY = MemoryLayout.structLayout(
            JAVA_LONG.withName("cookie"),
            JAVA_INT.withName("type"),
            JAVA_INT.withName("pad0"));

    public static final StructLayout LISTEN_KEY = MemoryLayout.structLayout(
            JAVA_BYTE.withName("family"),
            JAVA_BYTE.withName("pad0"),
            JAVA_SHORT.withName("port"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("addr"),
            JAVA_INT.withName("pad1"),
            JAVA_LONG.withName("netns_cookie"));

    public static final StructLayout LISTEN_COUNTS = MemoryLayout.structLayout(
            JAVA_LONG.withName("initial"),
            JAVA_LONG.withName("established"));

    public static final StructLayout TUNE_REQUEST = MemoryLayout.structLayout(
            JAVA_INT.withName("cwnd_clamp"),
            JAVA_INT.withName("window_clamp"));

    public static final StructLayout TUNE_RESULT = MemoryLayout.structLayout(
            JAVA_LONG.withName("cookie"),
            JAVA_INT.withName("cwnd_rc"),
            JAVA_INT.withName("window_rc"));

    public static final StructLayout EVENT_COUNTS = MemoryLayout.structLayout(
            JAVA_LONG.withName("lost"),
            JAVA_LONG.withName("spilled"));

    public static final StructLayout CLOCK = MemoryLayout.structLayout(
            JAVA_LONG.withName("ktime_ns"),
            JAVA_LONG.withName("jiffies"));

    private static final ValueLayout.OfShort SHORT = JAVA_SHORT.withByteAlignment(1);
    private static final ValueLayout.OfInt INT = JAVA_INT.withByteAlignment(1);
    private static final ValueLayout.OfLong LONG = JAVA_LONG.withByteAlignment(1);

    /** The offset of {@code member} in {@code layout} (a layout checked against the object's BTF). */
    static long offset(StructLayout layout, String member) {
        return layout.byteOffset(groupElement(member));
    }

    private static final long S_COOKIE = SOCK_RECORD.byteOffset(groupElement("cookie"));
    private static final long S_INODE = SOCK_RECORD.byteOffset(groupElement("inode"));
    private static final long S_FAMILY = SOCK_RECORD.byteOffset(groupElement("family"));
    private static final long S_STATE = SOCK_RECORD.byteOffset(groupElement("state"));
    private static final long S_HAS_STATS = SOCK_RECORD.byteOffset(groupElement("has_stats"));
    private static final long S_CA_STATE = SOCK_RECORD.byteOffset(groupElement("ca_state"));
    private static final long S_LOCAL_ADDR = SOCK_RECORD.byteOffset(groupElement("local_addr"));
    private static final long S_LOCAL_PORT = SOCK_RECORD.byteOffset(groupElement("local_port"));
    private static final long S_REMOTE_ADDR = SOCK_RECORD.byteOffset(groupElement("remote_addr"));
    private static final long S_REMOTE_PORT = SOCK_RECORD.byteOffset(groupElement("remote_port"));
    private static final long S_NOW_NS = SOCK_RECORD.byteOffset(groupElement(Field.NOW_NS.cName()));
    /** Where the {@link Field}s after NOW_NS start: a SocketRecord keeps the bytes from here on. */
    private static final long FIELDS_START = SOCK_RECORD.byteOffset(groupElement(Field.values()[1].cName()));
    static final int FIELDS_BYTES = (int) (SOCK_RECORD.byteSize() - FIELDS_START);
    /** Each field's offset in a SocketRecord's bytes. */
    private static final int[] FIELD_OFFSETS = new int[Field.values().length];

    static {
        if (Field.values()[0] != Field.NOW_NS) {
            throw new IllegalStateException("SocketRecord keeps NOW_NS apart: it must be the first field");
        }
        long acc = SOCK_RECORD.byteOffset(groupElement("acc"));
        for (Field f : Field.values()) {
            long inRecord = f.accumulated()
                    ? acc + ACC.byteOffset(groupElement(f.cName()))
                    : SOCK_RECORD.byteOffset(groupElement(f.cName()));
            FIELD_OFFSETS[f.ordinal()] = (int) (inRecord - FIELDS_START);
        }
    }

    static int fieldOffset(Field f) {
        return FIELD_OFFSETS[f.ordinal()];
    }

    private static final long E_TIME_NS = EVENT.byteOffset(groupElement("time_ns"));
    private static final long E_TYPE = EVENT.byteOffset(groupElement("type"));
    private static final long E_OLD_STATE = EVENT.byteOffset(groupElement("old_state"));
    private static final long E_NEW_STATE = EVENT.byteOffset(groupElement("new_state"));
    private static final long E_REC = EVENT.byteOffset(groupElement("rec"));

    private Records() {
    }

    private static StructLayout struct(boolean accumulated, List<MemoryLayout> tail) {
        List<MemoryLayout> members = new ArrayList<>();
        for (Field f : Field.values()) {
            if (f.accumulated() == accumulated) {
                members.add(f.layout());
            }
        }
        members.addAll(tail);
        return MemoryLayout.structLayout(members.toArray(MemoryLayout[]::new));
    }

    /** The socket cookie of a struct estats_sock_record, without decoding the rest. */
    public static long cookieOf(MemorySegment r) {
        return r.get(LONG, S_COOKIE);
    }

    /** The network namespace inode of a struct estats_sock_record, without decoding the rest. */
    public static long netnsOf(MemorySegment r) {
        return r.get(LONG, FIELDS_START + fieldOffset(Field.NETNS));
    }

    /** Decodes one struct estats_sock_record. */
    public static SocketRecord decodeSocket(MemorySegment r) {
        return decodeSocket(r, null);
    }

    /**
     * Decodes one struct estats_sock_record, holding the field bytes and endpoints of
     * {@code previous} (the same socket's record at the last pass; null: none) where they are
     * equal: an idle socket then costs no new array.
     */
    public static SocketRecord decodeSocket(MemorySegment r, SocketRecord previous) {
        int family = u8(r, S_FAMILY);
        byte[] last = previous == null ? null : previous.fields();
        byte[] fields = last != null && MemorySegment.mismatch(r, FIELDS_START, FIELDS_START + FIELDS_BYTES,
                MemorySegment.ofArray(last), 0, last.length) == -1
                ? last : r.asSlice(FIELDS_START, FIELDS_BYTES).toArray(JAVA_BYTE);
        TcpState state = TcpState.fromKernel(u8(r, S_STATE));
        boolean v6only = u8(r, FIELDS_START + fieldOffset(Field.V6ONLY)) != 0;
        Endpoint local = endpoint(r, family, S_LOCAL_ADDR, S_LOCAL_PORT, previous == null ? null : previous.local());
        if (state == TcpState.LISTEN && family == AF_INET6 && !v6only && local.isUnspecified()) {
            // a dual-stack wildcard listener takes IPv4 and IPv6 (RFC 4022: type unknown, empty address)
            local = previous != null && previous.local().addressLength() == 0
                    && previous.local().port() == local.port() ? previous.local() : Endpoint.anyFamily(local.port());
        }
        Endpoint remote = endpoint(r, family, S_REMOTE_ADDR, S_REMOTE_PORT, previous == null ? null : previous.remote());
        return new SocketRecord(cookieOf(r), r.get(LONG, S_INODE), state, local, remote,
                u8(r, S_HAS_STATS) != 0, u8(r, S_CA_STATE), r.get(LONG, S_NOW_NS), fields);
    }

    public static LifecycleEvent decodeEvent(MemorySegment e) {
        long type = Integer.toUnsignedLong(e.get(INT, E_TYPE));
        SocketRecord record = decodeSocket(e.asSlice(E_REC, SOCK_RECORD.byteSize()));
        return new LifecycleEvent(
                type == EVENT_ESTABLISHED ? LifecycleEvent.Kind.ESTABLISHED : LifecycleEvent.Kind.CLOSED,
                e.get(LONG, E_TIME_NS),
                TcpState.fromKernel(u8(e, E_OLD_STATE)),
                TcpState.fromKernel(u8(e, E_NEW_STATE)),
                record);
    }

    /** A key of the listen_counts map: the local endpoint a handshake was counted for. */
    public static ListenEndpoint decodeListenKey(MemorySegment k) {
        return new ListenEndpoint(k.get(LONG, LISTEN_KEY.byteOffset(groupElement("netns_cookie"))),
                endpoint(k, u8(k, LISTEN_KEY.byteOffset(groupElement("family"))),
                        LISTEN_KEY.byteOffset(groupElement("addr")), LISTEN_KEY.byteOffset(groupElement("port"))));
    }

    /**
     * An endpoint as TCP-MIB indexes it: IPv4-mapped IPv6 addresses of dual-stack
     * sockets are reported as IPv4, as net-snmp does.
     */
    static Endpoint endpoint(MemorySegment s, int family, long addrOffset, long portOffset) {
        return endpoint(s, family, addrOffset, portOffset, null);
    }

    /** The endpoint at {@code addrOffset}, which is {@code previous} when that is equal to it. */
    private static Endpoint endpoint(MemorySegment s, int family, long addrOffset, long portOffset, Endpoint previous) {
        int port = Short.toUnsignedInt(s.get(SHORT, portOffset));
        long from;
        int length;
        if (family == AF_INET) {
            from = addrOffset;
            length = 4;
        } else if (family != AF_INET6) {
            throw new IllegalArgumentException("unexpected address family " + family);
        } else if (isV4Mapped(s, addrOffset)) {
            from = addrOffset + 12;
            length = 4;
        } else {
            from = addrOffset;
            length = 16;
        }
        if (previous != null && previous.port() == port && previous.addressLength() == length
                && sameOctets(s, from, previous)) {
            return previous;
        }
        byte[] address = new byte[length];
        MemorySegment.copy(s, JAVA_BYTE, from, address, 0, length);
        return new Endpoint(address, port);
    }

    private static boolean sameOctets(MemorySegment s, long from, Endpoint e) {
        for (int i = 0; i < e.addressLength(); i++) {
            if (u8(s, from + i) != e.octet(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isV4Mapped(MemorySegment s, long at) {
        for (int i = 0; i < 10; i++) {
            if (s.get(JAVA_BYTE, at + i) != 0) {
                return false;
            }
        }
        return s.get(JAVA_BYTE, at + 10) == (byte) 0xff && s.get(JAVA_BYTE, at + 11) == (byte) 0xff;
    }

    private static int u8(MemorySegment s, long offset) {
        return Byte.toUnsignedInt(s.get(JAVA_BYTE, offset));
    }
}
