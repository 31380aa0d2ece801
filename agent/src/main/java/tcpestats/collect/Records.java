package tcpestats.collect;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
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
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;

    public static final StructLayout SOCK_RECORD = MemoryLayout.structLayout(
            JAVA_LONG.withName("cookie"),
            JAVA_LONG.withName("inode"),
            JAVA_BYTE.withName("family"),
            JAVA_BYTE.withName("state"),
            JAVA_BYTE.withName("has_stats"),
            JAVA_BYTE.withName("pad0"),
            JAVA_SHORT.withName("local_port"),
            JAVA_SHORT.withName("remote_port"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("local_addr"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("remote_addr"),
            JAVA_LONG.withName("now_ns"),
            JAVA_LONG.withName("start_ns"),
            JAVA_LONG.withName("last_event_us"),
            JAVA_LONG.withName("bytes_sent"),
            JAVA_LONG.withName("bytes_retrans"),
            JAVA_LONG.withName("bytes_received"),
            JAVA_LONG.withName("data_octets_in"),
            JAVA_INT.withName("segs_out"),
            JAVA_INT.withName("data_segs_out"),
            JAVA_INT.withName("total_retrans"),
            JAVA_INT.withName("segs_in"),
            JAVA_INT.withName("data_segs_in"),
            JAVA_INT.withName("mss_cache"),
            JAVA_INT.withName("srtt_us"),
            JAVA_INT.withName("rto_ms"),
            JAVA_INT.withName("snd_cwnd"),
            JAVA_INT.withName("snd_ssthresh"),
            JAVA_INT.withName("start_known"),
            JAVA_INT.withName("pad1"));

    public static final StructLayout EVENT = MemoryLayout.structLayout(
            JAVA_LONG.withName("cookie"),
            JAVA_LONG.withName("time_ns"),
            JAVA_INT.withName("type"),
            JAVA_BYTE.withName("family"),
            JAVA_BYTE.withName("old_state"),
            JAVA_BYTE.withName("new_state"),
            JAVA_BYTE.withName("pad0"),
            JAVA_SHORT.withName("local_port"),
            JAVA_SHORT.withName("remote_port"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("local_addr"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("remote_addr"),
            JAVA_INT.withName("pad1"));

    private static final long E_COOKIE = EVENT.byteOffset(groupElement("cookie"));
    private static final long E_FAMILY = EVENT.byteOffset(groupElement("family"));
    private static final long E_LOCAL_ADDR = EVENT.byteOffset(groupElement("local_addr"));
    private static final long E_LOCAL_PORT = EVENT.byteOffset(groupElement("local_port"));
    private static final long E_NEW_STATE = EVENT.byteOffset(groupElement("new_state"));
    private static final long E_OLD_STATE = EVENT.byteOffset(groupElement("old_state"));
    private static final long E_REMOTE_ADDR = EVENT.byteOffset(groupElement("remote_addr"));
    private static final long E_REMOTE_PORT = EVENT.byteOffset(groupElement("remote_port"));
    private static final long E_TIME_NS = EVENT.byteOffset(groupElement("time_ns"));
    private static final long E_TYPE = EVENT.byteOffset(groupElement("type"));
    private static final long S_BYTES_RECEIVED = SOCK_RECORD.byteOffset(groupElement("bytes_received"));
    private static final long S_BYTES_RETRANS = SOCK_RECORD.byteOffset(groupElement("bytes_retrans"));
    private static final long S_BYTES_SENT = SOCK_RECORD.byteOffset(groupElement("bytes_sent"));
    private static final long S_COOKIE = SOCK_RECORD.byteOffset(groupElement("cookie"));
    private static final long S_DATA_OCTETS_IN = SOCK_RECORD.byteOffset(groupElement("data_octets_in"));
    private static final long S_DATA_SEGS_IN = SOCK_RECORD.byteOffset(groupElement("data_segs_in"));
    private static final long S_DATA_SEGS_OUT = SOCK_RECORD.byteOffset(groupElement("data_segs_out"));
    private static final long S_FAMILY = SOCK_RECORD.byteOffset(groupElement("family"));
    private static final long S_HAS_STATS = SOCK_RECORD.byteOffset(groupElement("has_stats"));
    private static final long S_INODE = SOCK_RECORD.byteOffset(groupElement("inode"));
    private static final long S_LAST_EVENT_US = SOCK_RECORD.byteOffset(groupElement("last_event_us"));
    private static final long S_LOCAL_ADDR = SOCK_RECORD.byteOffset(groupElement("local_addr"));
    private static final long S_LOCAL_PORT = SOCK_RECORD.byteOffset(groupElement("local_port"));
    private static final long S_MSS_CACHE = SOCK_RECORD.byteOffset(groupElement("mss_cache"));
    private static final long S_NOW_NS = SOCK_RECORD.byteOffset(groupElement("now_ns"));
    private static final long S_REMOTE_ADDR = SOCK_RECORD.byteOffset(groupElement("remote_addr"));
    private static final long S_REMOTE_PORT = SOCK_RECORD.byteOffset(groupElement("remote_port"));
    private static final long S_RTO_MS = SOCK_RECORD.byteOffset(groupElement("rto_ms"));
    private static final long S_SEGS_IN = SOCK_RECORD.byteOffset(groupElement("segs_in"));
    private static final long S_SEGS_OUT = SOCK_RECORD.byteOffset(groupElement("segs_out"));
    private static final long S_SND_CWND = SOCK_RECORD.byteOffset(groupElement("snd_cwnd"));
    private static final long S_SND_SSTHRESH = SOCK_RECORD.byteOffset(groupElement("snd_ssthresh"));
    private static final long S_SRTT_US = SOCK_RECORD.byteOffset(groupElement("srtt_us"));
    private static final long S_START_KNOWN = SOCK_RECORD.byteOffset(groupElement("start_known"));
    private static final long S_START_NS = SOCK_RECORD.byteOffset(groupElement("start_ns"));
    private static final long S_STATE = SOCK_RECORD.byteOffset(groupElement("state"));
    private static final long S_TOTAL_RETRANS = SOCK_RECORD.byteOffset(groupElement("total_retrans"));

    private Records() {
    }

    /** Decodes the output of one iterator pass. A trailing partial record is an error. */
    public static List<SocketRecord> decodeSockets(byte[] pass) {
        long size = SOCK_RECORD.byteSize();
        if (pass.length % size != 0) {
            throw new IllegalArgumentException("iterator output of " + pass.length
                    + " bytes is not a whole number of " + size + "-byte records");
        }
        MemorySegment seg = MemorySegment.ofArray(pass);
        List<SocketRecord> out = new ArrayList<>((int) (pass.length / size));
        for (long off = 0; off < pass.length; off += size) {
            out.add(decodeSocket(seg.asSlice(off, size)));
        }
        return out;
    }

    public static SocketRecord decodeSocket(MemorySegment r) {
        int family = u8(r, S_FAMILY);
        return new SocketRecord(
                i64(r, S_COOKIE),
                i64(r, S_INODE),
                TcpState.fromKernel(u8(r, S_STATE)),
                endpoint(r, family, S_LOCAL_ADDR, S_LOCAL_PORT),
                endpoint(r, family, S_REMOTE_ADDR, S_REMOTE_PORT),
                u8(r, S_HAS_STATS) != 0,
                i64(r, S_NOW_NS),
                i64(r, S_START_NS),
                u32(r, S_START_KNOWN) != 0,
                i64(r, S_LAST_EVENT_US),
                i64(r, S_BYTES_SENT),
                i64(r, S_BYTES_RETRANS),
                i64(r, S_BYTES_RECEIVED),
                i64(r, S_DATA_OCTETS_IN),
                u32(r, S_SEGS_OUT),
                u32(r, S_DATA_SEGS_OUT),
                u32(r, S_TOTAL_RETRANS),
                u32(r, S_SEGS_IN),
                u32(r, S_DATA_SEGS_IN),
                u32(r, S_MSS_CACHE),
                u32(r, S_SRTT_US),
                u32(r, S_RTO_MS),
                u32(r, S_SND_CWND),
                u32(r, S_SND_SSTHRESH));
    }

    public static LifecycleEvent decodeEvent(MemorySegment e) {
        int family = u8(e, E_FAMILY);
        int type = (int) u32(e, E_TYPE);
        return new LifecycleEvent(
                type == 1 ? LifecycleEvent.Kind.ESTABLISHED : LifecycleEvent.Kind.CLOSED,
                i64(e, E_COOKIE),
                i64(e, E_TIME_NS),
                TcpState.fromKernel(u8(e, E_OLD_STATE)),
                TcpState.fromKernel(u8(e, E_NEW_STATE)),
                endpoint(e, family, E_LOCAL_ADDR, E_LOCAL_PORT),
                endpoint(e, family, E_REMOTE_ADDR, E_REMOTE_PORT));
    }

    /**
     * An endpoint as TCP-MIB indexes it: IPv4-mapped IPv6 addresses of dual-stack
     * sockets are reported as IPv4, as net-snmp does.
     */
    static Endpoint endpoint(MemorySegment s, int family, long addrOffset, long portOffset) {
        byte[] raw = s.asSlice(addrOffset, 16).toArray(JAVA_BYTE);
        int p = Short.toUnsignedInt(s.get(JAVA_SHORT_UNALIGNED, portOffset));
        if (family == AF_INET) {
            return new Endpoint(Arrays.copyOf(raw, 4), p);
        }
        if (family != AF_INET6) {
            throw new IllegalArgumentException("unexpected address family " + family);
        }
        if (isV4Mapped(raw)) {
            return new Endpoint(Arrays.copyOfRange(raw, 12, 16), p);
        }
        return new Endpoint(raw, p);
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static final ValueLayout.OfShort JAVA_SHORT_UNALIGNED = JAVA_SHORT.withByteAlignment(1);
    private static final ValueLayout.OfInt JAVA_INT_UNALIGNED = JAVA_INT.withByteAlignment(1);
    private static final ValueLayout.OfLong JAVA_LONG_UNALIGNED = JAVA_LONG.withByteAlignment(1);

    private static int u8(MemorySegment s, long offset) {
        return Byte.toUnsignedInt(s.get(JAVA_BYTE, offset));
    }

    private static long u32(MemorySegment s, long offset) {
        return Integer.toUnsignedLong(s.get(JAVA_INT_UNALIGNED, offset));
    }

    private static long i64(MemorySegment s, long offset) {
        return s.get(JAVA_LONG_UNALIGNED, offset);
    }
}
