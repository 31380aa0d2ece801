package tcpestats.collect;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordsTest {
    // a byte[] heap segment only guarantees byte alignment
    private static final ValueLayout.OfShort SHORT = JAVA_SHORT.withByteAlignment(1);
    private static final ValueLayout.OfInt INT = JAVA_INT.withByteAlignment(1);
    private static final ValueLayout.OfLong LONG = JAVA_LONG.withByteAlignment(1);

    /** A record as the iterator writes it, built field by field at the layout's offsets. */
    private static byte[] record(int family, byte[] local, int localPort, byte[] remote, int remotePort) {
        byte[] bytes = new byte[(int) Records.SOCK_RECORD.byteSize()];
        MemorySegment s = MemorySegment.ofArray(bytes);
        put(s, "cookie", 0x1122334455667788L);
        put(s, "inode", 4242L);
        s.set(JAVA_BYTE, off("family"), (byte) family);
        s.set(JAVA_BYTE, off("state"), (byte) 1);
        s.set(JAVA_BYTE, off("has_stats"), (byte) 1);
        s.set(SHORT, off("local_port"), (short) localPort);
        s.set(SHORT, off("remote_port"), (short) remotePort);
        MemorySegment.copy(MemorySegment.ofArray(local), 0, s, off("local_addr"), local.length);
        MemorySegment.copy(MemorySegment.ofArray(remote), 0, s, off("remote_addr"), remote.length);
        put(s, "bytes_sent", 5_000_000_000L);
        s.set(LONG, accOff("data_octets_in"), 77L);
        s.set(INT, off("segs_out"), 0xFFFF_FFFF);
        s.set(INT, off("mss_cache"), 1448);
        s.set(INT, off("ssthresh_octets"), 0xFFFF_FFFF);
        s.set(INT, accOff("start_known"), 1);
        s.set(SHORT, off("total_rto"), (short) 0xFFFF);
        return bytes;
    }

    private static long off(String name) {
        return Records.SOCK_RECORD.byteOffset(groupElement(name));
    }

    private static long accOff(String name) {
        return Records.SOCK_RECORD.byteOffset(groupElement("acc"), groupElement(name));
    }

    private static SocketRecord decode(byte[] rec) {
        return Records.decodeSocket(MemorySegment.ofArray(rec));
    }

    private static void put(MemorySegment s, String name, long v) {
        s.set(LONG, off(name), v);
    }

    @Test
    void decodesIpv4Record() throws Exception {
        byte[] rec = record(2, InetAddress.getByName("10.1.2.3").getAddress(), 40000,
                InetAddress.getByName("192.0.2.9").getAddress(), 443);
        SocketRecord r = decode(rec);
        assertEquals(0x1122334455667788L, r.cookie());
        assertEquals(4242L, r.inode());
        assertEquals(TcpState.ESTABLISHED, r.state());
        assertTrue(r.hasStats());
        assertEquals("10.1.2.3:40000", r.local().toString());
        assertEquals("192.0.2.9:443", r.remote().toString());
        assertEquals(5_000_000_000L, r.get(Field.BYTES_SENT));
        assertEquals(77L, r.get(Field.DATA_OCTETS_IN));
        assertEquals(0xFFFF_FFFFL, r.get(Field.SEGS_OUT), "u32 fields are unsigned");
        assertEquals(0xFFFFL, r.get(Field.TOTAL_RTO), "u16 fields are unsigned");
        assertEquals(1448, r.get(Field.MSS_CACHE));
        assertEquals(0xFFFF_FFFFL, r.get(Field.SSTHRESH_OCTETS));
        assertEquals(1, r.get(Field.START_KNOWN));
    }

    @Test
    void portsAboveShortRangeAreUnsigned() throws Exception {
        byte[] rec = record(2, new byte[]{127, 0, 0, 1}, 65535, new byte[]{127, 0, 0, 1}, 40001);
        SocketRecord r = decode(rec);
        assertEquals(65535, r.local().port());
        assertEquals(40001, r.remote().port());
    }

    @Test
    void v4MappedIpv6IsReportedAsIpv4() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 127;
        mapped[15] = 1;
        SocketRecord r = decode(record(10, mapped, 1, mapped, 2));
        assertTrue(r.local().isIpv4());
        assertArrayEquals(new byte[]{127, 0, 0, 1}, r.local().address());
    }

    @Test
    void ipv6StaysIpv6() throws Exception {
        byte[] v6 = InetAddress.getByName("2001:db8::1").getAddress();
        SocketRecord r = decode(record(10, v6, 1, v6, 2));
        assertFalse(r.local().isIpv4());
        assertEquals("[2001:db8:0:0:0:0:0:1]:1", r.local().toString());
    }

    @Test
    void dualStackWildcardListenerHasNoAddressFamily() {
        byte[] rec = record(10, new byte[16], 8080, new byte[16], 0);
        MemorySegment.ofArray(rec).set(JAVA_BYTE, off("state"), (byte) 10);
        SocketRecord r = decode(rec);
        assertEquals(TcpState.LISTEN, r.state());
        assertEquals(0, r.local().address().length, "InetAddressType unknown(0), empty address (RFC 4022)");
        MemorySegment.ofArray(rec).set(JAVA_BYTE, off("v6only"), (byte) 1);
        assertEquals(16, decode(rec).local().address().length, "v6only: '::'");
    }

    @Test
    void unchangedPartsAreTheLastPassesAndChangedOnesAreNew() {
        byte[] rec = record(2, new byte[]{10, 0, 0, 1}, 1, new byte[]{10, 0, 0, 2}, 2);
        SocketRecord earlier = decode(rec);
        SocketRecord same = Records.decodeSocket(MemorySegment.ofArray(rec), earlier);
        assertSame(earlier.fields(), same.fields(), "equal bytes: the array of the last pass");
        assertSame(earlier.local(), same.local());
        assertSame(earlier.remote(), same.remote());
        assertSame(same, same.sharingWith(earlier), "decoded sharing: nothing to share again");
        s(rec).set(INT, off("segs_out"), 7);
        s(rec).set(SHORT, off("remote_port"), (short) 3);
        SocketRecord changed = Records.decodeSocket(MemorySegment.ofArray(rec), earlier);
        assertNotSame(earlier.fields(), changed.fields());
        assertEquals(7, changed.get(Field.SEGS_OUT));
        assertEquals(same.get(Field.BYTES_SENT), changed.get(Field.BYTES_SENT));
        assertSame(earlier.local(), changed.local());
        assertEquals(new Endpoint(new byte[]{10, 0, 0, 2}, 3), changed.remote());
        s(rec).set(JAVA_BYTE, off("remote_addr") + 3, (byte) 9);
        assertEquals(new Endpoint(new byte[]{10, 0, 0, 9}, 3), Records.decodeSocket(MemorySegment.ofArray(rec), changed).remote());
    }

    private static MemorySegment s(byte[] rec) {
        return MemorySegment.ofArray(rec);
    }

    @Test
    void cookieAndNamespaceAreReadWithoutDecoding() throws Exception {
        byte[] rec = record(2, new byte[4], 1, new byte[4], 2);
        put(MemorySegment.ofArray(rec), "netns", 4026531840L);
        SocketRecord r = decode(rec);
        assertEquals(r.cookie(), Records.cookieOf(MemorySegment.ofArray(rec)));
        assertEquals(4026531840L, r.netns());
        assertEquals(r.netns(), Records.netnsOf(MemorySegment.ofArray(rec)));
    }

    @Test
    void unknownFamilyIsAnError() {
        assertThrows(IllegalArgumentException.class,
                () -> decode(record(7, new byte[4], 1, new byte[4], 2)));
    }
}
