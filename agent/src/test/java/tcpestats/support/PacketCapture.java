package tcpestats.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The wire as an oracle: tcpdump captures the headers of the TCP segments on a device into a
 * pcap file, which {@link #stop()} reads back as {@link Segment}s (IPv4 over Ethernet, as a
 * veth carries it). A capture in which the kernel dropped packets fails: a count from the
 * wire must be the whole count.
 */
public final class PacketCapture implements AutoCloseable {
    private static final int SNAPLEN = 128; // Ethernet, IPv4 and TCP headers with options
    private static final Pattern DROPPED = Pattern.compile("(\\d+) packets? dropped by kernel");
    private final Process tcpdump;
    private final Path file;

    /** One TCP segment as captured; sequence numbers are absolute (unsigned 32-bit). */
    public record Segment(long micros, int srcPort, int dstPort, long seq, long ack, int flags, int window,
                          int payload, int sackBlocks) {
        public static final int FIN = 0x01;
        public static final int SYN = 0x02;
        public static final int RST = 0x04;
        public static final int ACK = 0x10;
        public static final int ECE = 0x40;
        public static final int CWR = 0x80;

        public boolean has(int flag) {
            return (flags & flag) != 0;
        }

        /** Sequence number just after this segment (SYN and FIN take one each). */
        public long endSeq() {
            return (seq + payload + (has(SYN) ? 1 : 0) + (has(FIN) ? 1 : 0)) & 0xFFFF_FFFFL;
        }
    }

    private PacketCapture(Process tcpdump, Path file) {
        this.tcpdump = tcpdump;
        this.file = file;
    }

    /** Starts capturing on {@code device} of this network namespace; see {@link #start(String, String, String)}. */
    public static PacketCapture start(String device, String filter) throws IOException {
        return start(List.of(), device, filter);
    }

    /**
     * Starts capturing on {@code device} of the network namespace {@code namespace} (an ip netns
     * name) what {@code filter} selects; returns once tcpdump listens.
     */
    public static PacketCapture start(String namespace, String device, String filter) throws IOException {
        return start(List.of("ip", "netns", "exec", namespace), device, filter);
    }

    private static PacketCapture start(List<String> prefix, String device, String filter) throws IOException {
        Path file = Files.createTempFile("estats-capture", ".pcap");
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("tcpdump", "-i", device, "-n", "-s", String.valueOf(SNAPLEN), "-B", "16384",
                "--immediate-mode", "-U", "-w", file.toString(), filter));
        Process p = new ProcessBuilder(command).start();
        PacketCapture capture = new PacketCapture(p, file);
        // tcpdump says "listening on DEVICE" on stderr once the capture is open
        StringBuilder said = new StringBuilder();
        var err = p.getErrorStream();
        for (int c; (c = err.read()) >= 0; ) {
            said.append((char) c);
            if (c == '\n' && said.toString().contains("listening on")) {
                return capture;
            }
        }
        capture.close();
        throw new IOException("tcpdump did not start: " + said.toString().strip());
    }

    /** Ends the capture and returns every segment in the order of capture. */
    public List<Segment> stop() throws IOException, InterruptedException {
        // SIGTERM through the handle: tcpdump flushes the file and prints its statistics
        // (Process.destroy would also close the pipe they come through)
        tcpdump.toHandle().destroy();
        if (!tcpdump.waitFor(10, TimeUnit.SECONDS)) {
            tcpdump.destroyForcibly();
            throw new IOException("tcpdump did not stop");
        }
        String stats = new String(tcpdump.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = DROPPED.matcher(stats);
        if (!m.find() || !m.group(1).equals("0")) {
            throw new IOException("the capture is incomplete: " + stats.strip());
        }
        try {
            return read(ByteBuffer.wrap(Files.readAllBytes(file)));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Parses a pcap file (libpcap format, microsecond or nanosecond stamps) of Ethernet frames. */
    static List<Segment> read(ByteBuffer pcap) throws IOException {
        int magic = pcap.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            pcap.order(ByteOrder.BIG_ENDIAN);
            magic = pcap.getInt(0);
        }
        boolean nanos = magic == 0xa1b23c4d;
        if (!nanos && magic != 0xa1b2c3d4) {
            throw new IOException("not a pcap file");
        }
        if (pcap.getInt(20) != 1) {
            throw new IOException("link type " + pcap.getInt(20) + " is not Ethernet");
        }
        List<Segment> segments = new ArrayList<>();
        for (int at = 24; at + 16 <= pcap.limit(); ) {
            long seconds = Integer.toUnsignedLong(pcap.getInt(at));
            long fraction = Integer.toUnsignedLong(pcap.getInt(at + 4));
            int captured = pcap.getInt(at + 8);
            long micros = seconds * 1_000_000 + (nanos ? fraction / 1000 : fraction);
            ByteBuffer frame = pcap.slice(at + 16, captured).order(ByteOrder.BIG_ENDIAN);
            at += 16 + captured;
            if (frame.getShort(12) != 0x0800) {
                continue; // not IPv4
            }
            int ip = 14;
            int ipHeader = (frame.get(ip) & 0x0F) * 4;
            if (frame.get(ip + 9) != 6) {
                continue; // not TCP
            }
            int ipLength = Short.toUnsignedInt(frame.getShort(ip + 2));
            int tcp = ip + ipHeader;
            int tcpHeader = (Byte.toUnsignedInt(frame.get(tcp + 12)) >> 4) * 4;
            segments.add(new Segment(micros, Short.toUnsignedInt(frame.getShort(tcp)),
                    Short.toUnsignedInt(frame.getShort(tcp + 2)), Integer.toUnsignedLong(frame.getInt(tcp + 4)),
                    Integer.toUnsignedLong(frame.getInt(tcp + 8)), frame.get(tcp + 13) & 0xFF,
                    Short.toUnsignedInt(frame.getShort(tcp + 14)), ipLength - ipHeader - tcpHeader,
                    sackBlocks(frame, tcp + 20, tcp + tcpHeader)));
        }
        return segments;
    }

    /** Blocks in the SACK option (kind 5) between {@code from} and {@code to}; 0 without one. */
    private static int sackBlocks(ByteBuffer frame, int from, int to) {
        for (int at = from; at < to && at < frame.limit(); ) {
            int kind = Byte.toUnsignedInt(frame.get(at));
            if (kind == 0) {
                return 0;
            }
            if (kind == 1) {
                at++;
                continue;
            }
            int length = Byte.toUnsignedInt(frame.get(at + 1));
            if (kind == 5) {
                return (length - 2) / 8;
            }
            at += Math.max(length, 2);
        }
        return 0;
    }

    @Override
    public void close() {
        tcpdump.destroyForcibly();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the temp directory is cleaned eventually
        }
    }
}
