package tcpestats.collect;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The numeric members of struct estats_sock_record (after the socket's identity) and
 * of its nested struct estats_acc, in C order. The Java layouts are built from this
 * list and checked against the BPF object's BTF, so order, names and widths must
 * match bpf/estats.h. Names starting with "pad" are padding.
 */
public enum Field {
    NOW_NS(8), NETNS_COOKIE(8), NETNS(8), LAST_EVENT_US(8), BYTES_SENT(8), BYTES_RETRANS(8), BYTES_RECEIVED(8),
    BYTES_ACKED(8), SEGS_OUT(4), DATA_SEGS_OUT(4), TOTAL_RETRANS(4), SEGS_IN(4), DATA_SEGS_IN(4), MSS_CACHE(4), SRTT_US(4),
    MDEV_US(4), RCV_RTT_US(4), RTO_MS(4), CWND_OCTETS(4), SSTHRESH_OCTETS(4), SND_CWND_CLAMP(4), CWND_CLAMP_OCTETS(4),
    WINDOW_CLAMP(4),
    SND_UNA(4), SND_NXT(4), RCV_NXT(4), WRITE_SEQ(4), COPIED_SEQ(4), PIPE_OCTETS(4), SACKED_OUT(4), RETRANS_OUT(4),
    RCV_WND(4), SND_WND(4), MAX_WINDOW(4), REORDERING(4), RECEIVED_CE(4), DSACK_DUPS(4),
    REASM_QUEUE(4), RWND_LIMITED_MS(4), BUSY_MS(4), SNDBUF_LIMITED_MS(4), LISTEN_DROPS(4), ACK_BACKLOG(4),
    MAX_ACK_BACKLOG(4), SYN_QUEUE(4),
    TOTAL_RTO(2), TOTAL_RTO_RECOVERIES(2), ADVMSS(2), USER_MSS(2), MSS_CLAMP(2),
    RETRANSMITS(1), TSTAMP_OK(1), SACK_OK(1), WSCALE_OK(1), SND_WSCALE(1), RCV_WSCALE(1), ECN_OK(1), NONAGLE(1),
    TOS_OUT(1), V6ONLY(1), FOLLOWED(1),

    // struct estats_acc
    START_NS(8, true), DATA_OCTETS_IN(8, true), SUM_RTT_US(8, true), PRE_CONG_SUM_CWND(8, true),
    PRE_CONG_SUM_RTT_US(8, true), POST_CONG_SUM_RTT_US(8, true), SUM_OCTETS_REORDERED(8, true),
    LISTEN_SYN_RCVD(8, true),
    START_KNOWN(4, true), ACTIVE_OPEN(4, true), FLAGS(4, true), COUNT_RTT(4, true), SAMPLE_RTT_US(4, true),
    MAX_RTT_US(4, true), MIN_RTT_US(4, true), MAX_RTO_MS(4, true), MIN_RTO_MS(4, true),
    POST_CONG_COUNT_RTT(4, true), CONG_SIGNALS(4, true), FAST_RETRAN(4, true), NON_RECOV_DA_EPISODES(4, true),
    NON_RECOV_DA(4, true), DUPACKS_SINCE_ADVANCE(4, true), EPISODE_DUPACKS(4, true), EPISODE_ADVANCE(4, true),
    SPURIOUS_FR(4, true), SPURIOUS_RTO(4, true), CONG_OVER_COUNT(4, true),
    ABRUPT_TIMEOUTS(4, true), SLOW_START(4, true), CONG_AVOID(4, true), PREV_CWND(4, true),
    MAX_SS_CWND(4, true), MAX_CA_CWND(4, true), MAX_SSTHRESH(4, true), MIN_SSTHRESH(4, true),
    MAX_MSS(4, true), MIN_MSS(4, true), MAX_PIPE_SIZE(4, true), MAX_RETX_QUEUE(4, true),
    MAX_REASM_QUEUE(4, true), MAX_APP_WQUEUE(4, true), MAX_APP_RQUEUE(4, true), MAX_RWIN_SENT(4, true),
    ZERO_RWIN_SENT(4, true), ZERO_RWIN_RCVD(4, true), DUP_ACKS_IN(4, true), DUP_ACKS_OUT(4, true),
    DUP_ACK_EPISODES(4, true), ECE_SENT(4, true), ECN_SIGNALS(4, true), SACKS_RCVD(4, true),
    SACK_BLOCKS_RCVD(4, true), SOFT_ERRORS(4, true), SOFT_ERROR_REASON(4, true), LAST_ACK_SENT(4, true),
    LAST_WIN_SENT(4, true), HIGHEST_ACK_RCVD(4, true), LAST_WIN_RCVD(4, true), IP_TTL(1, true), IP_TOS_IN(1, true);

    /** Padding before the acc in struct estats_sock_record (__u8 pad1[7]). */
    static final int RECORD_PADDING = 7;

    /** Padding at the end of struct estats_acc (__u8 pad[2]). */
    static final int ACC_TAIL_PADDING = 2;

    private final int bytes;
    private final boolean accumulated;

    Field(int bytes) {
        this(bytes, false);
    }

    Field(int bytes, boolean accumulated) {
        this.bytes = bytes;
        this.accumulated = accumulated;
    }

    /** The C member name. */
    public String cName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** True for members of struct estats_acc (accumulated in the kernel). */
    public boolean accumulated() {
        return accumulated;
    }

    int bytes() {
        return bytes;
    }

    MemoryLayout layout() {
        ValueLayout v = switch (bytes) {
            case 1 -> JAVA_BYTE;
            case 2 -> JAVA_SHORT;
            case 4 -> JAVA_INT;
            case 8 -> JAVA_LONG;
            default -> throw new IllegalStateException(name());
        };
        return v.withName(cName());
    }
}
