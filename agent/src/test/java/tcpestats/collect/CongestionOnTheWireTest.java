package tcpestats.collect;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tcpestats.support.Await;
import tcpestats.support.EstatsProbe;
import tcpestats.support.KernelRequired;
import tcpestats.support.NetnsLab;
import tcpestats.support.PacketCapture;
import tcpestats.support.PacketCapture.Segment;
import tcpestats.support.Ss;
import tcpestats.support.TcpExt;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The congestion objects of a sender under loss, a black hole, ACK loss and reordering,
 * with cubic and with BBR, against oracles that owe nothing to the agent: the segments on
 * the wire (a capture on the veth), the kernel's TcpExt counters of a namespace that holds
 * only the measured connection, and ss of that connection. The measured sender is the
 * peer's source, in a namespace of its own; this end reads. Loss and reordering are made
 * on the path (the receiving side's prerouting, the sender's queue), never in the sender's
 * own output hook, which TCP treats as a local error and repeats without any loss.
 */
@ExtendWith(KernelRequired.class)
class CongestionOnTheWireTest {
    /** The counts each ACK reaching the sender moves. */
    private static final List<String> ACK_COUNTS = List.of("tcpEStatsPerfSegsIn", "tcpEStatsStackSACKsRcvd",
            "tcpEStatsStackSACKBlocksRcvd", "tcpEStatsStackDupAcksIn");
    private static final int MB = 1 << 20;
    private static final String[] UNDOS = {"TCPFullUndo", "TCPPartialUndo", "TCPDSACKUndo", "TCPLossUndo"};
    private static EstatsProbe probe;

    @BeforeAll
    static void attach() {
        probe = new EstatsProbe();
    }

    @AfterAll
    static void detach() {
        if (probe != null) {
            probe.close();
        }
    }

    /** The peer's source sending to a socket here, with the segments between them captured. */
    private record Transfer(String congestionControl, NetnsLab lab, int port, long netns, Socket receiver,
                            PacketCapture capture, TcpExt atStart, long congStateSkippedAtStart) {
        /** The measured sender's values, as the agent serves them. */
        Map<String, Long> sender() {
            return probe.connectionIn(netns, port, receiver.getLocalPort());
        }

        /**
         * The sender's values once the ACKs reaching it have stopped moving its counts: after a
         * transfer with loss, duplicate SACKs for spurious retransmissions may still be on their
         * way when the receiver has read everything, and the capture stopped next must show them too.
         */
        Map<String, Long> senderOnceQuiet() throws Exception {
            AtomicReference<Map<String, Long>> last = new AtomicReference<>(sender());
            Await.until("the sender's ACK counts settle", Duration.ofSeconds(5), () -> {
                Thread.sleep(200);
                Map<String, Long> now = sender();
                Map<String, Long> before = last.getAndSet(now);
                return ACK_COUNTS.stream().allMatch(k -> Objects.equals(now.get(k), before.get(k))) ? null
                        : "still moving: " + ACK_COUNTS.stream().map(k -> k + " " + before.get(k) + " -> " + now.get(k))
                        .toList();
            });
            return last.get();
        }

        Ss senderSs() throws Exception {
            return lab.peerSs(port, receiver.getLocalPort());
        }

        /** Reads {@code bytes} that the sender sends. */
        void read(long bytes) throws IOException {
            InputStream in = receiver.getInputStream();
            byte[] buf = new byte[65536];
            for (long read = 0; read < bytes; ) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, bytes - read));
                if (n < 0) {
                    throw new IOException("the sender closed after " + read + " octets");
                }
                read += n;
            }
        }

        /** Asks the sender for another round of octets. */
        void requestMore() throws IOException {
            receiver.getOutputStream().write(1);
        }

        /**
         * Runs of the congestion-state tracepoint program the kernel skipped since the start
         * (it was already running on that CPU): each may have missed a state change of some
         * socket, which README's Limits say.
         */
        long congStateRunsSkipped() {
            return congStateSkipped() - congStateSkippedAtStart;
        }

        String seen(Map<String, Long> values) {
            return congestionControl + ": " + new TreeMap<>(values);
        }
    }

    @FunctionalInterface
    private interface LabSetUp {
        void apply(NetnsLab lab, int port) throws Exception;
    }

    @FunctionalInterface
    private interface TransferBody {
        void run(Transfer t) throws Exception;
    }

    /**
     * Runs {@code body} once with cubic and once with BBR, each in a lab of its own, once the
     * sender's first {@code bytes} have arrived here; {@code setUp} shapes the lab before the
     * connection opens. Each sender's namespace holds that one connection, so its TcpExt
     * counts are the connection's own.
     */
    private static void withEachCongestionControl(int bytes, LabSetUp setUp, TransferBody body) throws Exception {
        for (String congestionControl : List.of("cubic", "bbr")) {
            with(congestionControl, bytes, setUp, body);
        }
    }

    /** As {@link #withEachCongestionControl}, with one congestion control. */
    private static void with(String congestionControl, int bytes, LabSetUp setUp, TransferBody body) throws Exception {
        try (NetnsLab lab = NetnsLab.create("")) {
            lab.peerCongestionControl(congestionControl);
            int port = ThreadLocalRandom.current().nextInt(20000, 30000);
            setUp.apply(lab, port);
            lab.startPeer("source", String.valueOf(port), String.valueOf(bytes));
            TcpExt atStart = lab.peerTcpExt();
            try (PacketCapture capture = PacketCapture.start(lab.namespace, lab.peerDev, "tcp port " + port);
                 Socket receiver = new Socket()) {
                // a fixed receive buffer: the window we advertise does not follow autotuning, so a
                // duplicate ACK keeps the window of the last one (RFC 5681) however fast this end reads
                receiver.setReceiveBufferSize(8 * MB);
                receiver.connect(new InetSocketAddress(lab.peerAddress, port), 5000);
                receiver.setSoTimeout(60_000);
                Transfer t = new Transfer(congestionControl, lab, port, lab.peerNetns(), receiver, capture,
                        atStart, congStateSkipped());
                t.read(bytes);
                body.run(t);
            }
        }
    }

    private static long congStateSkipped() {
        return probe.collector().tracepointRunsSkipped().getOrDefault("estats_cong_state", 0L);
    }

    @Test
    void lossOnThePathIsCountedAsTheWireShowsAndAsTheKernelDecided() throws Exception {
        withEachCongestionControl(MB, (lab, port) -> lab.loseFromPeer(3, port), t -> {
            TcpExt before = t.atStart();
            for (int round = 0; round < 8; round++) {
                t.requestMore();
                t.read(MB);
            }
            Map<String, Long> v = t.senderOnceQuiet();
            TcpExt after = t.lab().peerTcpExt();
            Wire wire = new Wire(t.capture().stop(), t.port());
            String seen = t.seen(v) + " wire " + wire;

            // RFC 4898 SegsRetrans, OctetsRetrans: what the sender sent again
            assertEquals(wire.retransmittedSegments, v.get("tcpEStatsPerfSegsRetrans"), seen);
            assertEquals(wire.retransmittedOctets, v.get("tcpEStatsPerfOctetsRetrans"), seen);
            // DupAcksIn: duplicate ACKs as RFC 5681 defines them, as they arrived
            assertTrue(wire.dupAcks > 0, seen);
            // (ACKs that reach the sender on two CPUs at once may be judged in the other order, which
            // changes the judgement of both when their windows differ: CI once read 439 for 441)
            long reordered = Math.max(2, wire.dupAcks / 100);
            assertTrue(Math.abs(wire.dupAcks - v.get("tcpEStatsStackDupAcksIn")) <= reordered, seen);
            // SACKsRcvd, SACKBlocksRcvd: SACK options and the blocks in them
            assertEquals(wire.sackOptions, v.get("tcpEStatsStackSACKsRcvd"), seen);
            assertEquals(wire.sackBlocks, v.get("tcpEStatsStackSACKBlocksRcvd"), seen);

            // FastRetran: invocations of fast retransmit, each an entry into Recovery (TcpExt counts
            // them), but for state changes in runs of the tracepoint program that the kernel skipped
            long recoveries = after.since(before, "TCPSackRecovery", "TCPRenoRecovery");
            long skipped = t.congStateRunsSkipped();
            seen += " skipped runs " + skipped;
            // and an entry now and then that no skipped run explains (226 against 225, and once
            // more, in about fifteen runs; docs/variables.md says so): at most one in a hundred
            long unexplained = Math.max(1, recoveries / 100);
            seen += " recoveries " + recoveries;
            assertTrue(recoveries > 0, seen);
            assertTrue(v.get("tcpEStatsStackFastRetran") <= recoveries
                    && v.get("tcpEStatsStackFastRetran") >= recoveries - skipped - unexplained, seen);
            // CongSignals: each fast retransmit is a reduction; so may be a timeout, a tail loss
            // probe's recovery (CWR) and a local transmit failure (CWR, which no counter shows:
            // one came beside a loopback iperf3), so only the lower bound is exact here
            long signals = v.get("tcpEStatsPerfCongSignals");
            assertTrue(signals >= recoveries - skipped - unexplained, seen);
            assertUndoneAsTheKernelCounted(after.since(before, UNDOS), v, seen);
            // NonRecovDAEpisodes: each episode had at least one duplicate ACK
            assertTrue(v.get("tcpEStatsPathNonRecovDA") >= v.get("tcpEStatsPathNonRecovDAEpisodes"), seen);
        });
    }

    @Test
    void aBlackHoleIsOneCongestionSignalAndMaxRtoCoversEveryTimerThatFired() throws Exception {
        withEachCongestionControl(MB, (lab, port) -> { }, t -> {
            Map<String, Long> start = t.sender();
            TcpExt before = t.lab().peerTcpExt();
            t.lab().blackholeFromPeer(t.port());
            t.requestMore();
            Await.until("the RTO backs off three times", Duration.ofSeconds(20), () -> {
                Ss now = t.senderSs();
                return now.field("backoff").orElse(0) >= 3 ? null : now.toString();
            });
            Map<String, Long> v = t.sender();
            Ss ss = t.senderSs();
            TcpExt after = t.lab().peerTcpExt();
            Wire wire = new Wire(t.capture().stop(), t.port());
            List<Long> resent = wire.retransmissionsOfTheHeadMicros();
            // between two timeouts the timer ran for the backed-off RTO in force
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < resent.size(); i++) {
                gaps.add((resent.get(i) - resent.get(i - 1)) / 1000);
            }
            String seen = t.seen(v) + " " + ss + " RTO gaps on the wire (ms) " + gaps;

            // each timeout resent the first unacknowledged segment (TcpExt counts each)
            long timeouts = after.since(before, "TCPTimeouts");
            assertEquals(timeouts, resent.size(), seen);
            assertEquals(timeouts, v.get("tcpEStatsPerfTimeouts") - start.get("tcpEStatsPerfTimeouts")
                    + v.get("tcpEStatsStackSubsequentTimeouts") - start.get("tcpEStatsStackSubsequentTimeouts"), seen);
            assertEquals(1, v.get("tcpEStatsPerfTimeouts") - start.get("tcpEStatsPerfTimeouts"), seen);
            assertEquals(ss.field("backoff").orElseThrow(), v.get("tcpEStatsStackCurTimeoutCount"), seen);
            // PipeSize: RFC 3517 pipe as the kernel keeps it (tcp_packets_in_flight), from ss's counts
            long inFlight = ss.field("unacked").orElse(0) - ss.field("sacked").orElse(0) - ss.field("lost").orElse(0)
                    + ss.retransCurrent();
            assertEquals(Math.max(0, inFlight) * ss.field("mss").orElseThrow(), v.get("tcpEStatsPerfPipeSize"), seen);
            // CurRetxQueue: octets sent and not acknowledged
            assertEquals((wire.highestSent - wire.highestAck) & 0xFFFF_FFFFL, v.get("tcpEStatsStackCurRetxQueue"), seen);
            assertEquals(1, v.get("tcpEStatsStackAbruptTimeouts") - start.get("tcpEStatsStackAbruptTimeouts"),
                    "nothing but the timer announced the loss: " + seen);
            // RFC 4898 MaxRTO: the largest RTO the connection has had, the one in force included.
            // A timer fires when its RTO has passed, up to 1/8 later on the kernel's timer wheel:
            // the longest gap on the wire was made by an RTO of at least 8/9 of it.
            long maxRto = v.get("tcpEStatsPathMaxRTO");
            long longest = gaps.stream().mapToLong(Long::longValue).max().orElseThrow();
            assertEquals((long) ss.decimal("rto"), v.get("tcpEStatsPerfCurRTO"), seen);
            assertTrue(maxRto >= v.get("tcpEStatsPerfCurRTO"), "MaxRTO below CurRTO: " + seen);
            assertTrue(maxRto >= longest * 8 / 9 - 10, "MaxRTO below an RTO the wire shows: " + seen);
            // CongSignals: RFC 5681 cuts ssthresh once, at the first timeout; backed-off ones keep it
            assertEquals(1, v.get("tcpEStatsPerfCongSignals") - start.get("tcpEStatsPerfCongSignals"), seen);
        });
    }

    @Test
    void aTimeoutDuringFastRecoveryIsNoNewCongestionSignal() throws Exception {
        for (String congestionControl : List.of("cubic", "bbr")) {
            // the kernel's own counts say whether the scenario happened: a busy machine may
            // repair the hole anyway (the 100th packet counted was a retransmission); try again
            List<String> attempts = new ArrayList<>();
            for (int attempt = 0; attempt < 3 && attempts.size() == attempt; attempt++) {
                with(congestionControl, MB, (lab, port) -> { }, t -> {
                    Map<String, Long> start = t.sender();
                    TcpExt before = t.lab().peerTcpExt();
                    // the 100th of the next data segments is lost, and so is every retransmission
                    // of it: fast recovery cannot repair the hole, and the retransmission timer
                    // fires in it
                    t.lab().loseOneSegmentForGood(t.port(), 100);
                    t.requestMore();
                    Await.upTo(Duration.ofSeconds(20), () -> t.lab().peerTcpExt().since(before, "TCPTimeouts") >= 2);
                    Map<String, Long> v = t.sender();
                    TcpExt after = t.lab().peerTcpExt();
                    String seen = t.seen(v) + " recoveries " + after.since(before, "TCPSackRecovery")
                            + ", timeouts in recovery " + after.since(before, "TCPSackRecoveryFail") + ", timeouts "
                            + after.since(before, "TCPTimeouts");
                    if (after.since(before, "TCPSackRecoveryFail") == 0 || after.since(before, "TCPTimeouts") < 2) {
                        attempts.add(seen);
                        return;
                    }
                    // the kernel entered Recovery once and its first timeout came in it, where
                    // tcp_enter_loss keeps the ssthresh of the reduction under way
                    assertEquals(1, after.since(before, "TCPSackRecovery"), seen);
                    assertEquals(1, v.get("tcpEStatsStackFastRetran") - start.get("tcpEStatsStackFastRetran"), seen);
                    // RFC 4898 CongSignals: one multiplicative decrease, as RFC 5681 makes one per window
                    assertEquals(1, v.get("tcpEStatsPerfCongSignals") - start.get("tcpEStatsPerfCongSignals"), seen);
                });
            }
            assertTrue(attempts.size() < 3, "no timeout in fast recovery in three tries: " + attempts);
        }
    }

    @Test
    void slowStartEndsWhereHyStartEndedIt() throws Exception {
        // a queue on the path: HyStart sees the delay grow and leaves slow start before any loss
        with("cubic", 4 * MB, (lab, port) -> lab.shapeFromPeer("100mbit"), t -> {
            Map<String, Long> v = t.sender();
            TcpExt after = t.lab().peerTcpExt();
            long exits = after.since(t.atStart(), "TCPHystartDelayDetect", "TCPHystartTrainDetect");
            long exitCwnd = after.since(t.atStart(), "TCPHystartDelayCwnd", "TCPHystartTrainCwnd");
            String seen = t.seen(v) + " HyStart exits " + exits + " at cwnd " + exitCwnd;
            assertEquals(1, exits, seen);
            // a timeout would start slow start again; a fast recovery after the exit leaves it over
            assertEquals(0, after.since(t.atStart(), "TCPTimeouts"), "no timeout: " + seen);
            // RFC 4898 MaxSsCwnd: the largest cwnd in slow start, which HyStart ended by setting
            // ssthresh to the cwnd of that moment
            assertEquals(exitCwnd * v.get("tcpEStatsPerfCurMSS"), v.get("tcpEStatsStackMaxSsCwnd"), seen);
            assertTrue(v.get("tcpEStatsStackSlowStart") > 0, seen);
            // a cwnd above slow start's largest came from congestion avoidance; after an early exit
            // cubic can stay on its plateau (K = cbrt(Wmax x 0.3 / 0.4) s: 2.3 s at 16 segments)
            // for the whole transfer, and then no increase is due
            if (v.get("tcpEStatsPerfCurCwnd") > v.get("tcpEStatsStackMaxSsCwnd")) {
                assertTrue(v.get("tcpEStatsStackCongAvoid") > 0, seen);
            }
        });
    }

    @Test
    void lostAcksMakeASpuriousTimeoutThatTheKernelUndoes() throws Exception {
        // a slow sender's queue keeps data on the path while its ACKs are lost
        withEachCongestionControl(MB, (lab, port) -> lab.shapeFromPeer("50mbit"), t -> {
            TcpExt before = t.atStart();
            long sent = t.senderSs().field("bytes_sent").orElseThrow();
            t.requestMore();
            Await.untilTrue("the sender sends again", Duration.ofSeconds(5),
                    () -> t.senderSs().field("bytes_sent").orElseThrow() > sent);
            // the sender's ACKs are lost on their way until its retransmission timer fires
            t.lab().peerNft("table inet ackhole { chain in { type filter hook prerouting priority -300; "
                    + "tcp dport " + t.port() + " drop; }; }");
            Await.untilTrue("a timeout", Duration.ofSeconds(10),
                    () -> t.lab().peerTcpExt().since(before, "TCPTimeouts") > 0);
            t.lab().inPeer("nft delete table inet ackhole");
            t.read(MB);
            Map<String, Long> v = t.sender();
            TcpExt after = t.lab().peerTcpExt();
            String seen = t.seen(v) + " undos " + after.since(before, UNDOS) + " loss undos "
                    + after.since(before, "TCPLossUndo");
            // RFC 4898 SpuriousRtoDetected: timeouts the kernel found spurious and undid, whatever
            // the congestion control does with ssthresh
            assertTrue(v.get("tcpEStatsStackSpuriousRtoDetected") >= 1, seen);
            assertTrue(v.get("tcpEStatsStackSpuriousRtoDetected") >= after.since(before, "TCPLossUndo"), seen);
            assertUndoneAsTheKernelCounted(after.since(before, UNDOS), v, seen);
        });
    }

    @Test
    void reorderingOnThePathIsUndoneAsTheKernelCountsIt() throws Exception {
        List<String> moved = List.of("tcpEStatsPathNonRecovDAEpisodes", "tcpEStatsPathNonRecovDA",
                "tcpEStatsPathSumOctetsReordered", "tcpEStatsStackDSACKDups", "tcpEStatsStackSpuriousFrDetected");
        withEachCongestionControl(4 * MB, (lab, port) -> lab.reorderFromPeer(2, "300mbit"), t -> {
            TcpExt before = t.atStart();
            Map<String, Long> v;
            // reordering is random: a few rounds, from short delays (reordering within the
            // dup-ACK threshold) to long ones (spurious fast retransmits)
            String[] rates = {"5gbit", "2gbit", "300mbit", "30mbit"};
            for (int round = 0; round < 24 && !moved.stream().allMatch(n -> t.sender().get(n) > 0); round++) {
                t.lab().slowPeerClassRate(rates[round % rates.length]);
                t.requestMore();
                t.read(4 * MB);
            }
            v = t.senderOnceQuiet();
            TcpExt after = t.lab().peerTcpExt();
            String seen = t.seen(v) + " undos " + after.since(before, UNDOS);
            for (String name : moved) {
                assertTrue(v.get(name) > 0, name + " did not move: " + seen);
            }
            // RFC 4898 SpuriousFrDetected: fast retransmits the kernel found spurious (D-SACK,
            // timestamps) and undid; with CongOverCount, each undo TcpExt counts
            assertUndoneAsTheKernelCounted(after.since(before, UNDOS), v, seen);
            assertTrue(v.get("tcpEStatsStackSpuriousFrDetected")
                    >= after.since(before, "TCPFullUndo", "TCPPartialUndo"), seen);
            assertTrue(v.get("tcpEStatsPathNonRecovDA") >= v.get("tcpEStatsPathNonRecovDAEpisodes"), seen);
            Ss ss = t.senderSs();
            assertEquals(ss.field("dsack_dups").orElseThrow(), v.get("tcpEStatsStackDSACKDups"), seen);
            // ss prints the reordering threshold only when it is not the default 3
            assertEquals(ss.field("reordering").orElse(3), v.get("tcpEStatsPathRetranThresh"), seen);
        });
    }

    /**
     * RFC 4898 CongOverCount: reductions the kernel undid, each of which TcpExt counts once
     * (TCPFullUndo, TCPPartialUndo, TCPDSACKUndo, TCPLossUndo). An undo by the ACK that also
     * starts the next reduction is not seen (nothing runs between the two): up to a tenth
     * may be missing, never one more.
     */
    private static void assertUndoneAsTheKernelCounted(long kernelUndos, Map<String, Long> v, String seen) {
        long undone = v.get("tcpEStatsStackCongOverCount");
        assertTrue(undone <= kernelUndos && kernelUndos - undone <= Math.max(1, kernelUndos / 10),
                "CongOverCount " + undone + " against TcpExt " + kernelUndos + ": " + seen);
        assertEquals(undone, v.get("tcpEStatsStackSpuriousFrDetected") + v.get("tcpEStatsStackSpuriousRtoDetected"),
                seen);
    }

    /** What the capture shows of the sender on {@code port} and the ACKs it received. */
    private static final class Wire {
        long retransmittedSegments;
        long retransmittedOctets;
        long dupAcks;
        long sackOptions;
        long sackBlocks;
        /** Sequence number after the highest octet sent, and the greatest ACK number received. */
        long highestSent = -1;
        long highestAck = -1;
        private final List<Segment> sent = new ArrayList<>();

        Wire(List<Segment> segments, int senderPort) {
            Set<Long> starts = new HashSet<>();
            int lastWindow = -1;
            for (Segment s : segments) {
                if (s.has(Segment.SYN) || s.has(Segment.RST)) {
                    continue;
                }
                if (s.srcPort() == senderPort) {
                    sent.add(s);
                    // a segment sent again starts where one sent before did (new data the
                    // capture took from two CPUs may be seen a little out of order)
                    if (s.payload() > 0 && !starts.add(s.seq())) {
                        retransmittedSegments++;
                        retransmittedOctets += s.payload();
                    }
                    if (highestSent < 0 || after(s.endSeq(), highestSent)) {
                        highestSent = s.endSeq();
                    }
                    continue;
                }
                if (!s.has(Segment.ACK)) {
                    continue;
                }
                // RFC 5681: data outstanding, no data, no SYN or FIN, the greatest ACK number
                // received and the same window
                if (s.ack() == highestAck && s.window() == lastWindow && s.payload() == 0 && !s.has(Segment.FIN)
                        && highestSent >= 0 && after(highestSent, s.ack())) {
                    dupAcks++;
                }
                if (highestAck < 0 || after(s.ack(), highestAck)) {
                    highestAck = s.ack();
                }
                lastWindow = s.window();
                if (s.sackBlocks() > 0) {
                    sackOptions++;
                    sackBlocks += s.sackBlocks();
                }
            }
        }

        /**
         * When the segment sent most often was sent again: in a black hole, the first
         * unacknowledged segment, which each timeout of the retransmission timer resends.
         */
        List<Long> retransmissionsOfTheHeadMicros() {
            Map<Long, List<Long>> times = new HashMap<>();
            for (Segment s : sent) {
                if (s.payload() > 0) {
                    times.computeIfAbsent(s.seq(), k -> new ArrayList<>()).add(s.micros());
                }
            }
            List<Long> most = times.values().stream().max((a, b) -> a.size() - b.size()).orElse(List.of());
            return most.subList(Math.min(1, most.size()), most.size());
        }

        private static boolean after(long a, long b) {
            return (int) (a - b) > 0;
        }

        @Override
        public String toString() {
            return "{retransmitted " + retransmittedSegments + " segments, " + retransmittedOctets + " octets, dup ACKs "
                    + dupAcks + ", SACK options " + sackOptions + " with " + sackBlocks + " blocks}";
        }
    }
}
