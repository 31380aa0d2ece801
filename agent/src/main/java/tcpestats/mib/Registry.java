package tcpestats.mib;

import tcpestats.collect.Control;
import tcpestats.collect.Field;
import tcpestats.collect.KernelFeature;
import tcpestats.collect.KernelFeatures;
import tcpestats.collect.SocketRecord;
import tcpestats.store.ConnectionRow;
import tcpestats.store.ListenerRow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static tcpestats.collect.Field.*;
import static tcpestats.mib.Access.READ_ONLY;
import static tcpestats.mib.Access.READ_WRITE;
import static tcpestats.mib.MibTable.APP;
import static tcpestats.mib.MibTable.CONNECT_ID;
import static tcpestats.mib.MibTable.CONTROL;
import static tcpestats.mib.MibTable.LISTENER;
import static tcpestats.mib.MibTable.PATH;
import static tcpestats.mib.MibTable.PERF;
import static tcpestats.mib.MibTable.SCALAR;
import static tcpestats.mib.MibTable.STACK;
import static tcpestats.mib.MibTable.TCP_CONNECTION;
import static tcpestats.mib.MibTable.TCP_LISTENER;
import static tcpestats.mib.MibTable.TUNE;
import static tcpestats.mib.SmiType.COUNTER32;
import static tcpestats.mib.SmiType.DATE_AND_TIME;
import static tcpestats.mib.SmiType.GAUGE32;
import static tcpestats.mib.SmiType.INTEGER;
import static tcpestats.mib.SmiType.OCTET;
import static tcpestats.mib.SmiType.TIMESTAMP;
import static tcpestats.mib.SmiType.UNSIGNED32;
import static tcpestats.mib.SmiType.ZERO_BASED_COUNTER32;
import static tcpestats.mib.SmiType.ZERO_BASED_COUNTER64;
import static tcpestats.mib.Source.AGENT;
import static tcpestats.mib.Source.DERIVED;
import static tcpestats.mib.Source.KERNEL_ACCUMULATOR;
import static tcpestats.mib.Source.KERNEL_FIELD;
import static tcpestats.mib.Source.NOT_AVAILABLE;

/**
 * The one registry of served variables. Every SNMP table, the MIB module text
 * (mib/TCP-ESTATS-MIB.txt) and docs/variables.md are built from it; nothing else lists
 * columns. Units and semantics follow RFC 4898 (octets, milliseconds).
 */
public final class Registry {
    private static final long MAX32 = 0xFFFF_FFFFL;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final String ZBC32 = "ZeroBasedCounter32";
    private static final String ZBC64 = "ZeroBasedCounter64";
    private static final String NEGOTIATED = "TcpEStatsNegotiated";
    private static final String OLDER = " For a connection older than the agent it counts from the agent's first sight.";

    private static final List<MibVariable> ALL = new ArrayList<>();

    static {
        // TCP-MIB (RFC 4022)
        add("tcpConnectionState", TCP_CONNECTION, 7, INTEGER, "INTEGER", READ_WRITE, "", KERNEL_FIELD, "",
                "sk_state of the socket. Request sockets (NEW_SYN_RECV) read synReceived.",
                "Read-only here: deleteTCB is not supported.", (r, c) -> r.socket().state().tcpMibValue());
        add("tcpConnectionProcess", TCP_CONNECTION, 8, UNSIGNED32, "Unsigned32", READ_ONLY, "", DERIVED, "",
                "Process holding the socket, found in /proc/PID/fd as ss -p does; 0 if none.", "",
                (r, c) -> r.pid());
        add("tcpListenerProcess", TCP_LISTENER, 4, UNSIGNED32, "Unsigned32", READ_ONLY, "", DERIVED, "",
                "Process holding the listening socket, found in /proc/PID/fd; 0 if none.", "", (r, c) -> r.pid());

        // tcpEStatsListenerTable
        add("tcpEStatsListenerStartTime", LISTENER, 1, TIMESTAMP, "TimeStamp", READ_ONLY, "", KERNEL_ACCUMULATOR,
                "tcpEStatsListenerGroup",
                "sysUpTime when the inet_sock_set_state tracepoint saw the socket enter LISTEN.",
                "0 for a listener created before the agent started.",
                (r, c) -> s(r).get(START_KNOWN) == 1 ? c.timeStamp(s(r).get(START_NS)) : 0);
        listenerCounter(2, "SynRcvd", "tcpEStatsListenerSynRcvd",
                "SYN segments delivered to the listener, counted by the cgroup_skb ingress program "
                        + "(before any SYN queue or backlog check).",
                (r, c) -> s(r).get(LISTEN_SYN_RCVD), KERNEL_ACCUMULATOR);
        listenerCounter(3, "Initial", "tcpEStatsListenerInitial",
                "Request sockets created for the listener's endpoint (sockops TIMEOUT_INIT on a request "
                        + "socket, called from tcp_conn_request when a SYN-ACK is sent); SYN cookies create none.",
                (r, c) -> ((ListenerRow) r).initial(), KERNEL_ACCUMULATOR);
        listenerCounter(4, "Established", "tcpEStatsListenerEstablished",
                "Passive connections whose handshake completed on the listener's endpoint (sockops "
                        + "PASSIVE_ESTABLISHED_CB on the new socket).",
                (r, c) -> ((ListenerRow) r).established(), KERNEL_ACCUMULATOR);
        listenerCounter(5, "Accepted", "tcpEStatsListenerAccepted",
                "Established minus the connections still waiting in the accept queue (sk_ack_backlog).",
                (r, c) -> Math.max(0, ((ListenerRow) r).established() - s(r).get(ACK_BACKLOG)), DERIVED);
        listenerCounter(6, "ExceedBacklog", "tcpEStatsListenerExceedBacklog",
                "sk_drops of the listener: SYN or accept queue overflows and failed child creation "
                        + "(tcp_listendrop).",
                (r, c) -> s(r).get(LISTEN_DROPS), KERNEL_FIELD);
        add("tcpEStatsListenerCurConns", LISTENER, 12, GAUGE32, "Gauge32", READ_ONLY, "", DERIVED,
                "tcpEStatsListenerGroup",
                "Established passive connections on the listener's endpoint that the application has accepted "
                        + "(they hold a struct socket).", "", (r, c) -> ((ListenerRow) r).curConns());
        add("tcpEStatsListenerMaxBacklog", LISTENER, 13, UNSIGNED32, "Unsigned32", READ_ONLY, "", KERNEL_FIELD,
                "tcpEStatsListenerGroup", "sk_max_ack_backlog: the listen() backlog after the somaxconn limit.", "",
                (r, c) -> s(r).get(MAX_ACK_BACKLOG));
        add("tcpEStatsListenerCurBacklog", LISTENER, 14, GAUGE32, "Gauge32", READ_ONLY, "", KERNEL_FIELD,
                "tcpEStatsListenerGroup",
                "Request sockets in the SYN queue (icsk_accept_queue.qlen) plus established connections not "
                        + "yet accepted (sk_ack_backlog).", "SYN-cookie handshakes hold no state and are not counted.",
                (r, c) -> s(r).get(SYN_QUEUE) + s(r).get(ACK_BACKLOG));
        add("tcpEStatsListenerCurEstabBacklog", LISTENER, 15, GAUGE32, "Gauge32", READ_ONLY, "", KERNEL_FIELD,
                "tcpEStatsListenerGroup", "sk_ack_backlog: established connections waiting for accept().", "",
                (r, c) -> s(r).get(ACK_BACKLOG));

        // tcpEStatsConnectIdTable
        add("tcpEStatsConnectIndex", CONNECT_ID, 1, UNSIGNED32, "Unsigned32 (1..4294967295)", READ_ONLY, "", DERIVED,
                "tcpEStatsConnectIdGroup",
                "Assigned by the agent per socket cookie, from 1 upwards; kept for the connection's life and "
                        + "not reused while its row is visible.", "", (r, c) -> ((ConnectionRow) r).connectIndex());

        // tcpEStatsPerfTable
        perfCounter(1, "SegsOut", "", "tp->segs_out: segments sent, retransmissions and pure ACKs included.", SEGS_OUT);
        perfCounter(2, "DataSegsOut", "", "tp->data_segs_out: segments sent that carried data.", DATA_SEGS_OUT);
        perfCounter(3, "DataOctetsOut", "octets", "tp->bytes_sent: payload octets sent, retransmissions included.",
                BYTES_SENT);
        perfCounter(5, "SegsRetrans", "", "tp->total_retrans: segments retransmitted, SYN and SYN-ACK included.",
                TOTAL_RETRANS);
        perfCounter(6, "OctetsRetrans", "octets", "tp->bytes_retrans: payload octets retransmitted.", BYTES_RETRANS);
        perfCounter(7, "SegsIn", "", "tp->segs_in: segments received, counted before the socket backlog merges any.",
                SEGS_IN);
        perfCounter(8, "DataSegsIn", "", "tp->data_segs_in: segments received that carried data.", DATA_SEGS_IN);
        add("tcpEStatsPerfDataOctetsIn", PERF, 9, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "octets",
                KERNEL_ACCUMULATOR, "tcpEStatsPerfGroup",
                "Payload octets of every segment the socket received, duplicates included, summed by the "
                        + "cgroup ingress program before TCP validates the segment.",
                OLDER.strip(), f(DATA_OCTETS_IN));
        add("tcpEStatsPerfHCDataOctetsIn", PERF, 10, ZERO_BASED_COUNTER64, ZBC64, READ_ONLY, "octets",
                KERNEL_ACCUMULATOR, "tcpEStatsPerfHCGroup", "The 64-bit count behind DataOctetsIn.",
                "As DataOctetsIn.", f(DATA_OCTETS_IN));
        add("tcpEStatsPerfElapsedSecs", PERF, 11, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "seconds",
                KERNEL_ACCUMULATOR, "tcpEStatsPerfGroup",
                "Seconds from the connection's start (sockops at connect() or at the end of a passive "
                        + "handshake) to its last segment sent or received (tp->tcp_mstamp).",
                "For a connection older than the agent the start is the agent's first sight.",
                (r, c) -> elapsedNanos(s(r)) / NANOS_PER_SECOND);
        add("tcpEStatsPerfElapsedMicroSecs", PERF, 12, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "microseconds",
                KERNEL_ACCUMULATOR, "tcpEStatsPerfGroup", "The microseconds part of the same interval.",
                "As ElapsedSecs.", (r, c) -> elapsedNanos(s(r)) % NANOS_PER_SECOND / 1000);
        add("tcpEStatsPerfStartTimeStamp", PERF, 13, DATE_AND_TIME, "DateAndTime", READ_ONLY, "", KERNEL_ACCUMULATOR,
                "tcpEStatsPerfGroup", "Wall-clock time (UTC) of the connection's start, as for ElapsedSecs.",
                "For a connection older than the agent: the agent's first sight.",
                (r, c) -> c.wallMillis(s(r).get(START_NS)));
        gauge(PERF, 14, "tcpEStatsPerfCurMSS", "octets", "tcpEStatsPerfGroup", KERNEL_FIELD,
                "tp->mss_cache: the current sending MSS.", "", f(MSS_CACHE));
        gauge(PERF, 15, "tcpEStatsPerfPipeSize", "octets", "tcpEStatsPerfGroup", KERNEL_FIELD,
                "Segments in flight (packets_out - sacked_out - lost_out + retrans_out, tcp_packets_in_flight) "
                        + "times the MSS.", "Segment-granular.", f(PIPE_OCTETS));
        gauge(PERF, 16, "tcpEStatsPerfMaxPipeSize", "octets", "tcpEStatsPerfGroup", KERNEL_ACCUMULATOR,
                "Largest PipeSize sampled at each segment sent, counting that segment (cgroup_skb egress), "
                        + "and before each received ACK while the Path, Stack or App table is on (tcp_probe).",
                "Sampled; a peak between two samples is missed." + OLDER, f(MAX_PIPE_SIZE));
        gauge(PERF, 17, "tcpEStatsPerfSmoothedRTT", "milliseconds", "tcpEStatsPerfGroup", KERNEL_FIELD,
                "tp->srtt_us / 8, in milliseconds.", "", (r, c) -> s(r).get(SRTT_US) / 1000);
        gauge(PERF, 18, "tcpEStatsPerfCurRTO", "milliseconds", "tcpEStatsPerfGroup", KERNEL_FIELD,
                "icsk_rto converted from jiffies to milliseconds at the kernel's tick rate (CONFIG_HZ, which the "
                        + "agent measures at start).", "", f(RTO_MS));
        add("tcpEStatsPerfCongSignals", PERF, 19, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "", KERNEL_ACCUMULATOR,
                "tcpEStatsPerfGroup",
                "Window reductions the kernel decides on, seen at the tcp_cong_state_set tracepoint as it "
                        + "decides: entering CWR; entering Recovery unless a reduction is under way (CWR); entering "
                        + "Loss from Open or Disorder, once the last reduction's window was acknowledged, or at the "
                        + "first timeout after progress in Loss. Backed-off timeouts and a timeout during fast "
                        + "recovery keep ssthresh (RFC 5681: one reduction per window) and are no new signal.",
                "With BBR these are loss and ECN events, not window halvings." + OLDER, f(CONG_SIGNALS));
        gauge(PERF, 20, "tcpEStatsPerfCurCwnd", "octets", "tcpEStatsPerfGroup", KERNEL_FIELD,
                "tp->snd_cwnd times the MSS.", "", f(CWND_OCTETS));
        gauge(PERF, 21, "tcpEStatsPerfCurSsthresh", "octets", "tcpEStatsPerfGroup", KERNEL_FIELD,
                "tp->snd_ssthresh times the MSS.",
                "Reads 4294967295 while the kernel's ssthresh is still infinite (no congestion yet).",
                f(SSTHRESH_OCTETS));
        perfCounter(22, "Timeouts", "",
                "tp->total_rto_recoveries: retransmission timeouts with backoff 1 (the first timeout of a "
                        + "recovery).", TOTAL_RTO_RECOVERIES);
        gauge(PERF, 23, "tcpEStatsPerfCurRwinSent", "octets", "tcpEStatsPerfGroup", KERNEL_FIELD,
                "tp->rcv_wnd: the receive window last advertised.", "", f(RCV_WND));
        gauge(PERF, 24, "tcpEStatsPerfMaxRwinSent", "octets", "tcpEStatsPerfGroup", KERNEL_ACCUMULATOR,
                "Largest window field sent, scaled by our window scale (cgroup_skb egress).", OLDER.strip(),
                f(MAX_RWIN_SENT));
        add("tcpEStatsPerfZeroRwinSent", PERF, 25, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "", KERNEL_ACCUMULATOR,
                "tcpEStatsPerfGroup",
                "Segments sent with a zero window after one with a non-zero window (cgroup_skb egress).",
                OLDER.strip(), f(ZERO_RWIN_SENT));
        gauge(PERF, 26, "tcpEStatsPerfCurRwinRcvd", "octets", "tcpEStatsPerfGroup", KERNEL_FIELD,
                "tp->snd_wnd: the peer's last advertised window.", "", f(SND_WND));
        gauge(PERF, 27, "tcpEStatsPerfMaxRwinRcvd", "octets", "tcpEStatsPerfGroup", KERNEL_FIELD,
                "tp->max_window: the largest window the peer advertised.", "", f(MAX_WINDOW));
        add("tcpEStatsPerfZeroRwinRcvd", PERF, 28, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "", KERNEL_ACCUMULATOR,
                "tcpEStatsPerfGroup",
                "Segments received with a zero window after one with a non-zero window (cgroup ingress).",
                OLDER.strip(), f(ZERO_RWIN_RCVD));
        for (int i = 0; i < 3; i++) {
            String what = new String[]{"Rwin", "Cwnd", "Snd"}[i];
            add("tcpEStatsPerfSndLimTrans" + what, PERF, 31 + i, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "",
                    NOT_AVAILABLE, "tcpEStatsPerfOptionalGroup",
                    "Linux changes its sender-limit state (tp->chrono_type) inside tcp_write_xmit and "
                            + "tcp_sendmsg, where no tracepoint is; transitions cannot be counted.",
                    "Not served.", null);
        }
        add("tcpEStatsPerfSndLimTimeRwin", PERF, 34, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "milliseconds",
                KERNEL_FIELD, "tcpEStatsPerfOptionalGroup",
                "The kernel's receive-window-limited time (chrono_stat[TCP_CHRONO_RWND_LIMITED], tcpi_rwnd_limited).",
                "", f(RWND_LIMITED_MS));
        add("tcpEStatsPerfSndLimTimeCwnd", PERF, 35, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "milliseconds",
                KERNEL_FIELD, "tcpEStatsPerfOptionalGroup",
                "The kernel's busy time that was neither receive-window nor send-buffer limited "
                        + "(chrono_stat[TCP_CHRONO_BUSY]).",
                "Linux has no separate congestion-limited time: pacing-limited time is included.",
                (r, c) -> Math.max(0, s(r).get(BUSY_MS) - s(r).get(RWND_LIMITED_MS) - s(r).get(SNDBUF_LIMITED_MS)));
        add("tcpEStatsPerfSndLimTimeSnd", PERF, 36, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "milliseconds",
                DERIVED, "tcpEStatsPerfOptionalGroup",
                "Send-buffer-limited time (chrono_stat[TCP_CHRONO_SNDBUF_LIMITED]) plus the time the sender had "
                        + "nothing to send (elapsed time minus the kernel's busy time).",
                "The idle part of a connection older than the agent counts from the agent's first sight.",
                (r, c) -> s(r).get(SNDBUF_LIMITED_MS) + Math.max(0,
                        (s(r).get(NOW_NS) - s(r).get(START_NS)) / 1_000_000 - s(r).get(BUSY_MS)));

        // tcpEStatsPathTable
        gauge(PATH, 1, "tcpEStatsPathRetranThresh", "", "tcpEStatsPathGroup", KERNEL_FIELD,
                "tp->reordering: duplicate ACKs (or SACKed segments) that trigger fast retransmit; Linux adapts it.",
                "", f(REORDERING));
        pathCounter(2, "NonRecovDAEpisodes", "", "tcpEStatsPathGroup",
                "Returns from the Disorder to the Open congestion state (tcp_cong_state_set) after at least one "
                        + "duplicate ACK: dup-ACK episodes that ended without a fast retransmit (Disorder entered on "
                        + "SACKs alone is no such episode).", NON_RECOV_DA_EPISODES, "");
        pathCounter(3, "SumOctetsReordered", "octets", "tcpEStatsPathGroup",
                "Advance of the greatest ACK number received, by the ACK that ended each such episode "
                        + "(cgroup_skb ingress).",
                SUM_OCTETS_REORDERED, "");
        pathCounter(4, "NonRecovDA", "", "tcpEStatsPathGroup",
                "Duplicate ACKs received (cgroup_skb ingress) in episodes that ended without a fast retransmit.",
                NON_RECOV_DA, "");
        gauge(PATH, 11, "tcpEStatsPathSampleRTT", "milliseconds", "tcpEStatsPathOptionalGroup", KERNEL_ACCUMULATOR,
                "The last RTT sample: the handshake's (srtt when the connection is established, its only "
                        + "measurement so far), then the measured RTT of each sockops RTT_CB, which the kernel makes "
                        + "once per round trip (when snd_una passes rtt_seq), not on every ACK.",
                "Absent until the first sample (none when the handshake was retransmitted). Before Linux 6.10 "
                        + "RTT_CB carries no measurement: the smoothed RTT before the update stands in.",
                (r, c) -> s(r).get(COUNT_RTT) == 0 ? RowValue.ABSENT : s(r).get(SAMPLE_RTT_US) / 1000);
        gauge(PATH, 12, "tcpEStatsPathRTTVar", "milliseconds", "tcpEStatsPathOptionalGroup", KERNEL_FIELD,
                "tp->mdev_us / 4: the RTT mean deviation (as tcpi_rttvar), in milliseconds.", "",
                (r, c) -> s(r).get(MDEV_US) / 1000);
        gauge(PATH, 13, "tcpEStatsPathMaxRTT", "milliseconds", "tcpEStatsPathOptionalGroup", KERNEL_ACCUMULATOR,
                "Largest RTT sample (see SampleRTT).", "Absent until the first sample.",
                (r, c) -> s(r).get(COUNT_RTT) == 0 ? RowValue.ABSENT : s(r).get(MAX_RTT_US) / 1000);
        gauge(PATH, 14, "tcpEStatsPathMinRTT", "milliseconds", "tcpEStatsPathOptionalGroup", KERNEL_ACCUMULATOR,
                "Smallest RTT sample (see SampleRTT).", "Absent until the first sample.",
                (r, c) -> s(r).get(COUNT_RTT) == 0 ? RowValue.ABSENT : s(r).get(MIN_RTT_US) / 1000);
        pathCounter(15, "SumRTT", "milliseconds", "tcpEStatsPathOptionalGroup",
                "Sum of the RTT samples (see SampleRTT), kept in microseconds and read in milliseconds.",
                null, "");
        add("tcpEStatsPathHCSumRTT", PATH, 16, ZERO_BASED_COUNTER64, ZBC64, READ_ONLY, "milliseconds",
                KERNEL_ACCUMULATOR, "tcpEStatsPathHCGroup", "The 64-bit sum behind SumRTT.", "",
                (r, c) -> s(r).get(SUM_RTT_US) / 1000);
        pathCounter(17, "CountRTT", "", "tcpEStatsPathOptionalGroup",
                "RTT samples taken: the handshake's, then one per round trip (sockops RTT_CB), so SumRTT / "
                        + "CountRTT is the mean of one sample per round trip.",
                COUNT_RTT, "RFC 4898 counts every measurement; the kernel measures on every ACK of new data but "
                        + "calls RTT_CB once per round trip, and nothing else reaches the per-ACK measurements "
                        + "without kprobes or fentry.");
        gauge(PATH, 18, "tcpEStatsPathMaxRTO", "milliseconds", "tcpEStatsPathOptionalGroup", KERNEL_ACCUMULATOR,
                "Largest icsk_rto sampled before each received ACK, at each timeout (sockops RTO_CB) and when "
                        + "the row is read, so never below CurRTO while the timer backs off.",
                "Absent until the first sample.", (r, c) -> nonZero(s(r).get(MAX_RTO_MS)));
        gauge(PATH, 19, "tcpEStatsPathMinRTO", "milliseconds", "tcpEStatsPathOptionalGroup", KERNEL_ACCUMULATOR,
                "Smallest of the same samples.", "Absent until the first sample.",
                (r, c) -> nonZero(s(r).get(MIN_RTO_MS)));
        add("tcpEStatsPathIpTtl", PATH, 20, UNSIGNED32, "Unsigned32", READ_ONLY, "", KERNEL_ACCUMULATOR,
                "tcpEStatsPathOptionalGroup", "TTL (IPv4) or hop limit (IPv6) of the last segment received "
                        + "(cgroup_skb ingress).", "Absent until a segment is received with the table enabled.",
                (r, c) -> nonZero(s(r).get(IP_TTL)));
        add("tcpEStatsPathIpTosIn", PATH, 21, OCTET, "OCTET STRING (SIZE(1))", READ_ONLY, "", KERNEL_ACCUMULATOR,
                "tcpEStatsPathOptionalGroup", "TOS (IPv4) or traffic class (IPv6) octet of the last segment received "
                        + "(cgroup_skb ingress).", "Absent until a segment is received with the table enabled.",
                (r, c) -> s(r).get(IP_TTL) == 0 ? RowValue.ABSENT : s(r).get(IP_TOS_IN));
        add("tcpEStatsPathIpTosOut", PATH, 22, OCTET, "OCTET STRING (SIZE(1))", READ_ONLY, "", KERNEL_FIELD,
                "tcpEStatsPathOptionalGroup", "The socket's TOS (inet->tos) or IPv6 traffic class (tclass).",
                "The ECN bits the kernel sets per packet are not included.", f(TOS_OUT));
        pathCounter(23, "PreCongSumCwnd", "octets", "tcpEStatsPathOptionalGroup",
                "At each congestion signal, tp->prior_cwnd (the window before the reduction) times the MSS.",
                PRE_CONG_SUM_CWND, "");
        add("tcpEStatsPathPreCongSumRTT", PATH, 24, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "milliseconds",
                KERNEL_ACCUMULATOR, "tcpEStatsPathOptionalGroup",
                "At each congestion signal, the last RTT sample.", OLDER.strip(),
                (r, c) -> s(r).get(PRE_CONG_SUM_RTT_US) / 1000);
        add("tcpEStatsPathPostCongSumRTT", PATH, 25, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "milliseconds",
                KERNEL_ACCUMULATOR, "tcpEStatsPathOptionalGroup",
                "The first RTT sample after each congestion signal.",
                "RFC 4898 gives UNITS \"octets\"; the value is in milliseconds.",
                (r, c) -> s(r).get(POST_CONG_SUM_RTT_US) / 1000);
        pathCounter(26, "PostCongCountRTT", "", "tcpEStatsPathOptionalGroup",
                "RTT samples added to PostCongSumRTT.", POST_CONG_COUNT_RTT,
                "RFC 4898 gives UNITS \"milliseconds\"; the value is a count.");
        pathCounter(27, "ECNsignals", "", "tcpEStatsPathOptionalGroup",
                "ACKs received with ECE on an ECN-capable connection (cgroup_skb ingress).", ECN_SIGNALS, "");
        pathCounter(28, "DupAckEpisodes", "", "tcpEStatsPathOptionalGroup",
                "Runs of duplicate ACKs sent: a pure ACK repeating the previous ACK number and window after one "
                        + "that did not (cgroup_skb egress).", DUP_ACK_EPISODES, "");
        gauge(PATH, 29, "tcpEStatsPathRcvRTT", "milliseconds", "tcpEStatsPathOptionalGroup", KERNEL_FIELD,
                "The receiver's RTT estimate (tp->rcv_rtt_est.rtt_us / 8, as tcpi_rcv_rtt), in milliseconds.",
                "RFC 4898 gives no UNITS; milliseconds like the other RTT objects.",
                (r, c) -> s(r).get(RCV_RTT_US) / 1000);
        pathCounter(30, "DupAcksOut", "", "tcpEStatsPathOptionalGroup",
                "Pure ACKs sent that repeat the previous ACK number and window (cgroup_skb egress).",
                DUP_ACKS_OUT, "");
        add("tcpEStatsPathCERcvd", PATH, 31, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "", KERNEL_FIELD,
                "tcpEStatsPathOptionalGroup", "tp->received_ce: segments received with CE marked.", "",
                f(RECEIVED_CE));
        pathCounter(32, "ECESent", "", "tcpEStatsPathOptionalGroup",
                "Segments sent with ECE set after one without (cgroup_skb egress): each newly echoed congestion "
                        + "experience.", ECE_SENT, "");

        // tcpEStatsStackTable
        add("tcpEStatsStackActiveOpen", STACK, 1, INTEGER, "TruthValue", READ_ONLY, "", KERNEL_ACCUMULATOR,
                "tcpEStatsStackGroup", "true when sockops saw connect() (TCP_CONNECT_CB), false when it saw a "
                        + "passive handshake end.",
                "For a connection older than the agent: false when a listener exists on its local port.",
                (r, c) -> truth(((ConnectionRow) r).activeOpen()));
        add("tcpEStatsStackMSSSent", STACK, 2, UNSIGNED32, "Unsigned32", READ_ONLY, "", KERNEL_FIELD,
                "tcpEStatsStackGroup", "tp->advmss, plus the 12 timestamp octets it excludes when timestamps are on.",
                "", (r, c) -> s(r).get(ADVMSS) + (s(r).get(TSTAMP_OK) != 0 ? 12 : 0));
        add("tcpEStatsStackMSSRcvd", STACK, 3, UNSIGNED32, "Unsigned32", READ_ONLY, "", KERNEL_FIELD,
                "tcpEStatsStackGroup", "rx_opt.mss_clamp: the peer's MSS option.",
                "Limited by TCP_MAXSEG if the application set it; 536 when the peer sent no option.",
                f(MSS_CLAMP));
        add("tcpEStatsStackWinScaleSent", STACK, 4, INTEGER, "Integer32 (-1..14)", READ_ONLY, "", KERNEL_FIELD,
                "tcpEStatsStackGroup", "rx_opt.rcv_wscale when window scaling was negotiated, else -1.",
                "When the peer did not agree the kernel forgets the shift it offered, so -1 is read.",
                (r, c) -> s(r).get(WSCALE_OK) != 0 ? s(r).get(RCV_WSCALE) : -1);
        add("tcpEStatsStackWinScaleRcvd", STACK, 5, INTEGER, "Integer32 (-1..14)", READ_ONLY, "", KERNEL_FIELD,
                "tcpEStatsStackGroup", "rx_opt.snd_wscale when window scaling was negotiated, else -1.", "",
                (r, c) -> s(r).get(WSCALE_OK) != 0 ? s(r).get(SND_WSCALE) : -1);
        add("tcpEStatsStackTimeStamps", STACK, 6, INTEGER, NEGOTIATED, READ_ONLY, "", KERNEL_FIELD,
                "tcpEStatsStackGroup", "rx_opt.tstamp_ok; if off, selfDisabled when net.ipv4.tcp_timestamps is 0, "
                        + "else peerDisabled.", "The sysctl is read now, not at the handshake.",
                (r, c) -> negotiated(s(r).get(TSTAMP_OK) != 0, c.settings().timestamps() == 0));
        add("tcpEStatsStackECN", STACK, 7, INTEGER, NEGOTIATED, READ_ONLY, "", KERNEL_FIELD,
                "tcpEStatsStackGroup", "TCP_ECN_OK in tp->ecn_flags; if off, selfDisabled when net.ipv4.tcp_ecn does "
                        + "not request ECN for this direction of open, else peerDisabled.",
                "The sysctl is read now, not at the handshake.",
                (r, c) -> negotiated(s(r).get(ECN_OK) != 0, c.settings().ecn() == 0
                        || c.settings().ecn() == 2 && ((ConnectionRow) r).activeOpen()));
        add("tcpEStatsStackWillSendSACK", STACK, 8, INTEGER, NEGOTIATED, READ_ONLY, "", KERNEL_FIELD,
                "tcpEStatsStackGroup", "rx_opt.sack_ok; if off, selfDisabled when net.ipv4.tcp_sack is 0, "
                        + "else peerDisabled.", "The sysctl is read now, not at the handshake.",
                (r, c) -> negotiated(s(r).get(SACK_OK) != 0, c.settings().sack() == 0));
        add("tcpEStatsStackWillUseSACK", STACK, 9, INTEGER, NEGOTIATED, READ_ONLY, "", KERNEL_FIELD,
                "tcpEStatsStackGroup", "As WillSendSACK: Linux acts on SACK blocks whenever SACK was negotiated.",
                "The sysctl is read now, not at the handshake.",
                (r, c) -> negotiated(s(r).get(SACK_OK) != 0, c.settings().sack() == 0));
        add("tcpEStatsStackState", STACK, 10, INTEGER, "INTEGER { tcpESStateClosed(1), tcpESStateListen(2), "
                        + "tcpESStateSynSent(3), tcpESStateSynReceived(4), tcpESStateEstablished(5), "
                        + "tcpESStateFinWait1(6), tcpESStateFinWait2(7), tcpESStateCloseWait(8), tcpESStateLastAck(9), "
                        + "tcpESStateClosing(10), tcpESStateTimeWait(11), tcpESStateDeleteTcb(12) }", READ_ONLY, "", KERNEL_FIELD, "tcpEStatsStackGroup",
                "sk_state, numbered as tcpConnectionState.", "", (r, c) -> r.socket().state().tcpMibValue());
        add("tcpEStatsStackNagle", STACK, 11, INTEGER, "TruthValue", READ_ONLY, "", KERNEL_FIELD,
                "tcpEStatsStackGroup", "false when TCP_NODELAY set TCP_NAGLE_OFF in tp->nonagle, else true.", "",
                (r, c) -> truth((s(r).get(NONAGLE) & 1) == 0));
        stackGauge(12, "MaxSsCwnd", "octets", "tcpEStatsStackGroup",
                "Largest cwnd (times the MSS) sampled in slow start (cwnd below ssthresh, outside Recovery and "
                        + "CWR, whose reductions are neither), before each received ACK and at each segment sent.",
                MAX_SS_CWND, "Sampled.");
        stackGauge(13, "MaxCaCwnd", "octets", "tcpEStatsStackGroup",
                "Largest cwnd (times the MSS) sampled in congestion avoidance (cwnd at or above ssthresh, "
                        + "outside Recovery and CWR).",
                MAX_CA_CWND, "Sampled.");
        stackGauge(14, "MaxSsthresh", "octets", "tcpEStatsStackGroup",
                "Largest finite ssthresh (times the MSS) sampled.", MAX_SSTHRESH,
                "Absent while ssthresh was never finite (no reduction yet; BBR sets it when it leaves STARTUP).");
        stackGauge(15, "MinSsthresh", "octets", "tcpEStatsStackGroup",
                "Smallest finite ssthresh (times the MSS) sampled.", MIN_SSTHRESH,
                "Absent while ssthresh was never finite (no reduction yet; BBR sets it when it leaves STARTUP).");
        add("tcpEStatsStackInRecovery", STACK, 16, INTEGER,
                "INTEGER { tcpESDataContiguous(1), tcpESDataUnordered(2), tcpESDataRecovery(3) }", READ_ONLY, "", KERNEL_FIELD,
                "tcpEStatsStackGroup", "tcpESDataRecovery while retrans_out > 0; tcpESDataUnordered while segments "
                        + "are SACKed or the congestion state is Disorder; else tcpESDataContiguous.", "",
                (r, c) -> inRecovery(s(r), r.socket().caState()));
        stackCounter(17, "DupAcksIn", "tcpEStatsStackGroup",
                "Duplicate ACKs as RFC 5681 defines them (data outstanding; no data, SYN or FIN; the greatest "
                        + "ACK number received; the window of the last ACK), judged as they arrive (cgroup_skb ingress), "
                        + "not against tp->snd_una, which lags behind ACKs waiting in the socket backlog.", DUP_ACKS_IN,
                "Two ACKs processed on two CPUs at once may be judged in the other order.");
        stackCounter(18, "SpuriousFrDetected", "tcpEStatsStackGroup",
                "Fast retransmits the kernel undid (D-SACK or timestamps showed them spurious): a Recovery "
                        + "episode whose undo marker the kernel cleared (tcp_undo_cwnd_reduction, fully or partly, "
                        + "or a D-SACK after it ended), what TcpExt counts as TCPFullUndo, TCPPartialUndo and "
                        + "TCPDSACKUndo.", SPURIOUS_FR,
                "Seen at the tcp_cong_state_set tracepoint and at later hooks; independent of the congestion "
                        + "control (BBR does not restore ssthresh). An undo by the ACK that also starts the next "
                        + "reduction is not seen: nothing runs between the two (1 of 32 undos in one run under 3 % "
                        + "loss with BBR).");
        stackCounter(19, "SpuriousRtoDetected", "tcpEStatsStackGroup",
                "Timeouts the kernel undid (F-RTO, timestamps, D-SACK): a Loss episode whose undo marker the "
                        + "kernel cleared, what TcpExt counts as TCPLossUndo (and TCPDSACKUndo after it ended).",
                SPURIOUS_RTO, "Seen at the tcp_cong_state_set tracepoint and at later hooks; independent of the "
                        + "congestion control. As SpuriousFrDetected, an undo by the ACK that starts the next "
                        + "reduction is not seen.");
        stackCounter(21, "SoftErrors", "tcpEStatsStackOptionalGroup",
                "Segments the socket dropped as failing a consistency check, from the kfree_skb tracepoint's drop "
                        + "reason (SKB_DROP_REASON_TCP_*).", SOFT_ERRORS,
                "Checks that do not drop the segment and checksum errors found before the socket lookup are "
                        + "not seen.");
        add("tcpEStatsStackSoftErrorReason", STACK, 22, INTEGER, "INTEGER { belowDataWindow(1), "
                        + "aboveDataWindow(2), belowAckWindow(3), aboveAckWindow(4), belowTSWindow(5), aboveTSWindow(6), "
                        + "dataCheckSum(7), otherSoftError(8) }", READ_ONLY, "", KERNEL_ACCUMULATOR,
                "tcpEStatsStackOptionalGroup", "The drop reason of the last soft error, mapped to the RFC's classes.",
                "Absent until the first soft error.", (r, c) -> nonZero(s(r).get(SOFT_ERROR_REASON)));
        stackCounter(23, "SlowStart", "tcpEStatsStackOptionalGroup",
                "cwnd increases seen between two received ACKs (tcp_probe) while cwnd was below ssthresh, "
                        + "outside Recovery and CWR.",
                SLOW_START, "Meaningful for loss-based congestion control (reno, cubic); BBR sets ssthresh only when it leaves STARTUP.");
        stackCounter(24, "CongAvoid", "tcpEStatsStackOptionalGroup",
                "cwnd increases seen between two received ACKs while cwnd was at or above ssthresh.", CONG_AVOID,
                "As SlowStart.");
        add("tcpEStatsStackOtherReductions", STACK, 25, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "", NOT_AVAILABLE,
                "tcpEStatsStackOptionalGroup", "Window reductions outside congestion control (after idle, when "
                        + "application limited) happen in kernel functions with no tracepoint.", "Not served.", null);
        stackCounter(26, "CongOverCount", "tcpEStatsStackOptionalGroup",
                "Congestion reductions undone: SpuriousFrDetected plus SpuriousRtoDetected, each an undo TcpExt "
                        + "counts (TCPFullUndo, TCPPartialUndo, TCPDSACKUndo, TCPLossUndo).", CONG_OVER_COUNT,
                "As SpuriousFrDetected.");
        stackCounter(27, "FastRetran", "tcpEStatsStackOptionalGroup",
                "Entries into the Recovery congestion state (tcp_cong_state_set): fast retransmits.", FAST_RETRAN, "");
        add("tcpEStatsStackSubsequentTimeouts", STACK, 28, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "", KERNEL_FIELD,
                "tcpEStatsStackOptionalGroup", "tp->total_rto - tp->total_rto_recoveries: timeouts with backoff "
                        + "above 1.", "", (r, c) -> s(r).get(TOTAL_RTO) - s(r).get(TOTAL_RTO_RECOVERIES));
        gauge(STACK, 29, "tcpEStatsStackCurTimeoutCount", "", "tcpEStatsStackOptionalGroup", KERNEL_FIELD,
                "icsk_retransmits: consecutive timeouts without progress.", "", f(RETRANSMITS));
        stackCounter(30, "AbruptTimeouts", "tcpEStatsStackOptionalGroup",
                "Timeouts (sockops RTO_CB) while the congestion state was Open: no dup ACK or other sign came first.",
                ABRUPT_TIMEOUTS, "Needs the RTO callback, enabled when the agent sees the handshake.");
        stackCounter(31, "SACKsRcvd", "tcpEStatsStackOptionalGroup",
                "SACK options received (cgroup_skb ingress parses the TCP options).", SACKS_RCVD, "");
        stackCounter(32, "SACKBlocksRcvd", "tcpEStatsStackOptionalGroup",
                "SACK blocks in those options.", SACK_BLOCKS_RCVD, "");
        add("tcpEStatsStackSendStall", STACK, 33, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "", NOT_AVAILABLE,
                "tcpEStatsStackOptionalGroup", "A stall is the congestion return code of the IP layer inside "
                        + "__tcp_transmit_skb; no tracepoint sees it.", "Not served.", null);
        add("tcpEStatsStackDSACKDups", STACK, 34, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "", KERNEL_FIELD,
                "tcpEStatsStackOptionalGroup", "tp->dsack_dups: segments the peer reported as duplicates with D-SACK.",
                "", f(DSACK_DUPS));
        stackGauge(35, "MaxMSS", "octets", "tcpEStatsStackOptionalGroup",
                "Largest tp->mss_cache sampled.", MAX_MSS, "Sampled; the MSS changes rarely.");
        stackGauge(36, "MinMSS", "octets", "tcpEStatsStackOptionalGroup",
                "Smallest tp->mss_cache sampled.", MIN_MSS, "Sampled; the MSS changes rarely. Absent until sampled.");
        add("tcpEStatsStackSndInitial", STACK, 37, UNSIGNED32, "Unsigned32", READ_ONLY, "", DERIVED,
                "tcpEStatsStackOptionalGroup", "Our initial sequence number: snd_una - bytes_acked (modulo 2^32), "
                        + "one less for a passive open (its SYN-ACK's SYN is acked too).",
                "Wrong after TCP Fast Open or TCP_REPAIR.",
                (r, c) -> (s(r).get(SND_UNA) - s(r).get(BYTES_ACKED) - (((ConnectionRow) r).activeOpen() ? 0 : 1))
                        & MAX32);
        add("tcpEStatsStackRecInitial", STACK, 38, UNSIGNED32, "Unsigned32", READ_ONLY, "", DERIVED,
                "tcpEStatsStackOptionalGroup", "The peer's initial sequence number: rcv_nxt - bytes_received - 1 "
                        + "(modulo 2^32).", "Wrong after TCP Fast Open or TCP_REPAIR.",
                (r, c) -> (s(r).get(RCV_NXT) - s(r).get(BYTES_RECEIVED) - 1) & MAX32);
        gauge(STACK, 39, "tcpEStatsStackCurRetxQueue", "octets", "tcpEStatsStackOptionalGroup", KERNEL_FIELD,
                "snd_nxt - snd_una: octets sent and not yet acknowledged.", "",
                (r, c) -> (s(r).get(SND_NXT) - s(r).get(SND_UNA)) & MAX32);
        stackGauge(40, "MaxRetxQueue", "octets", "tcpEStatsStackOptionalGroup",
                "Largest snd_nxt - snd_una sampled.", MAX_RETX_QUEUE, "Sampled.");
        gauge(STACK, 41, "tcpEStatsStackCurReasmQueue", "octets", "tcpEStatsStackOptionalGroup", KERNEL_FIELD,
                "Octets from rcv_nxt to the end of the out-of-order queue (TCP_SKB_CB(ooo_last_skb)->end_seq).",
                "", f(REASM_QUEUE));
        stackGauge(42, "MaxReasmQueue", "octets", "tcpEStatsStackOptionalGroup",
                "Largest CurReasmQueue sampled when data is queued (sk_data_ready) and before each segment.",
                MAX_REASM_QUEUE, "Sampled; before Linux 6.6 (no sk_data_ready tracepoint) only before each "
                        + "segment. RFC 4898 gives no UNITS; octets like CurReasmQueue.");

        // tcpEStatsAppTable
        add("tcpEStatsAppSndUna", APP, 1, COUNTER32, "Counter32", READ_ONLY, "", KERNEL_FIELD, "tcpEStatsAppGroup",
                "tp->snd_una.", "", f(SND_UNA));
        add("tcpEStatsAppSndNxt", APP, 2, UNSIGNED32, "Unsigned32", READ_ONLY, "", KERNEL_FIELD, "tcpEStatsAppGroup",
                "tp->snd_nxt.", "", f(SND_NXT));
        add("tcpEStatsAppSndMax", APP, 3, COUNTER32, "Counter32", READ_ONLY, "", KERNEL_FIELD, "tcpEStatsAppGroup",
                "tp->snd_nxt: Linux retransmits from its queue without moving snd_nxt back, so it is the highest "
                        + "sequence number sent.", "", f(SND_NXT));
        add("tcpEStatsAppThruOctetsAcked", APP, 4, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "octets", KERNEL_FIELD,
                "tcpEStatsAppGroup", "tp->bytes_acked: octets acknowledged (advances of SND.UNA).", "",
                f(BYTES_ACKED));
        add("tcpEStatsAppHCThruOctetsAcked", APP, 5, ZERO_BASED_COUNTER64, ZBC64, READ_ONLY, "octets", KERNEL_FIELD,
                "tcpEStatsAppHCGroup", "tp->bytes_acked.", "", f(BYTES_ACKED));
        add("tcpEStatsAppRcvNxt", APP, 6, COUNTER32, "Counter32", READ_ONLY, "", KERNEL_FIELD, "tcpEStatsAppGroup",
                "tp->rcv_nxt.", "", f(RCV_NXT));
        add("tcpEStatsAppThruOctetsReceived", APP, 7, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "octets",
                KERNEL_FIELD, "tcpEStatsAppGroup", "tp->bytes_received: octets received in order (advances of RCV.NXT).",
                "", f(BYTES_RECEIVED));
        add("tcpEStatsAppHCThruOctetsReceived", APP, 8, ZERO_BASED_COUNTER64, ZBC64, READ_ONLY, "octets",
                KERNEL_FIELD, "tcpEStatsAppHCGroup", "tp->bytes_received.", "", f(BYTES_RECEIVED));
        gauge(APP, 11, "tcpEStatsAppCurAppWQueue", "octets", "tcpEStatsAppOptionalGroup", KERNEL_FIELD,
                "write_seq - snd_nxt: octets the application wrote that TCP has not sent yet.", "",
                (r, c) -> (s(r).get(WRITE_SEQ) - s(r).get(SND_NXT)) & MAX32);
        gauge(APP, 12, "tcpEStatsAppMaxAppWQueue", "octets", "tcpEStatsAppOptionalGroup", KERNEL_ACCUMULATOR,
                "Largest CurAppWQueue sampled at the end of each sendmsg() (sock_send_length tracepoint).",
                "Sampled." + OLDER, f(MAX_APP_WQUEUE));
        gauge(APP, 13, "tcpEStatsAppCurAppRQueue", "octets", "tcpEStatsAppOptionalGroup", KERNEL_FIELD,
                "rcv_nxt - copied_seq: octets received and not yet read by the application.", "",
                (r, c) -> (s(r).get(RCV_NXT) - s(r).get(COPIED_SEQ)) & MAX32);
        gauge(APP, 14, "tcpEStatsAppMaxAppRQueue", "octets", "tcpEStatsAppOptionalGroup", KERNEL_ACCUMULATOR,
                "Largest CurAppRQueue sampled when data is queued (sk_data_ready tracepoint) and before each "
                        + "segment.", "Sampled; before Linux 6.6 (no sk_data_ready tracepoint) only before each "
                        + "segment." + OLDER, f(MAX_APP_RQUEUE));

        // tcpEStatsTuneTable (read side; SET is not implemented yet)
        tune(1, "tcpEStatsTuneLimCwnd", KERNEL_FIELD, "tp->snd_cwnd_clamp times the MSS. A SET applies "
                        + "value / MSS segments with bpf_setsockopt(TCP_BPF_SNDCWND_CLAMP) from an iter/tcp program.",
                "Less than one MSS is wrongValue. Linux also sets ssthresh to the new limit, and brings a larger "
                        + "cwnd down to it at the next ACK of a cwnd-limited transfer or the next congestion event.",
                f(CWND_CLAMP_OCTETS));
        add("tcpEStatsTuneLimSsthresh", TUNE, 2, UNSIGNED32, "Unsigned32", READ_WRITE, false, "octets",
                NOT_AVAILABLE, "tcpEStatsTuneOptionalGroup",
                "Linux 6.18 has no limited slow start (RFC 3742) and no ssthresh limit to read or set.",
                "Not served; a SET is noCreation.", null);
        tune(3, "tcpEStatsTuneLimRwin", KERNEL_FIELD, "tp->window_clamp: the largest window we will advertise. "
                        + "A SET applies bpf_setsockopt(TCP_WINDOW_CLAMP), after locking the receive buffer at its "
                        + "current size (SO_RCVBUF) so that buffer autotuning does not lift the limit again; an "
                        + "offered window is never taken back, so the advertised window falls to the limit as the "
                        + "peer's data arrives.",
                "0 or above 2^31-1 is wrongValue. Linux raises a very small limit to half its minimum buffer; "
                        + "GET shows the limit in force.", f(WINDOW_CLAMP));
        tune(4, "tcpEStatsTuneLimMSS", KERNEL_FIELD, "rx_opt.user_mss (TCP_MAXSEG) if set, else rx_opt.mss_clamp.",
                "A SET is inconsistentValue: Linux fixes the MSS at the handshake and cannot change it on an "
                        + "open connection.",
                (r, c) -> s(r).get(USER_MSS) != 0 ? s(r).get(USER_MSS) : s(r).get(MSS_CLAMP));

        // scalars
        for (MibTable table : List.of(PATH, STACK, APP, TUNE)) {
            String group = table == TUNE ? "tcpEStatsTuneOptionalGroup" : table.tableName().replace("Table", "Group");
            add(table.control().mibName(), CONTROL, table.control().mibColumn(), INTEGER, "TruthValue", READ_WRITE,
                    true, "", AGENT, group, "Whether " + table.tableName() + " has rows; set by the directive of "
                            + "the same name (default " + Control.DEFAULT + ") and by SNMP SET. While false the "
                            + "kernel skips the per-segment work only this table needs.", "", null);
        }
        add(Control.NOTIFY.mibName(), CONTROL, Control.NOTIFY.mibColumn(), INTEGER, "TruthValue", READ_WRITE, true,
                "", AGENT, "tcpEStatsNotificationsCtlGroup", "Whether establish and close notifications are sent; "
                        + "set by the directive of the same name (default " + Control.DEFAULT + ") and by SNMP SET.",
                "", null);
        add("tcpEStatsConnTableLatency", CONTROL, 6, UNSIGNED32, "Unsigned32", READ_WRITE, true, "seconds", AGENT,
                "tcpEStatsConnectIdGroup", "Seconds a closed connection's rows stay visible with their final values "
                        + "(sent by the kernel when the connection closes); set by the directive of the same name "
                        + "(default 0) and by SNMP SET. A change applies to connections that close afterwards.",
                "", null);
        add("tcpEStatsListenerTableLastChange", SCALAR, 3, TIMESTAMP, "TimeStamp", READ_ONLY, false, "",
                KERNEL_ACCUMULATOR, "tcpEStatsListenerGroup", "sysUpTime when the inet_sock_set_state tracepoint last "
                        + "saw a socket enter or leave LISTEN.", "0 when no change was seen since the agent started.",
                null);
    }

    static {
        needs(KernelFeature.TOTAL_RTO, "tcpEStatsPerfTimeouts", "tcpEStatsStackSubsequentTimeouts");
        needs(KernelFeature.RECEIVED_CE, "tcpEStatsPathCERcvd");
        needs(KernelFeature.KFREE_SKB_RX_SK, "tcpEStatsStackSoftErrors", "tcpEStatsStackSoftErrorReason");
        needs(KernelFeature.SOCK_SEND_LENGTH, "tcpEStatsAppMaxAppWQueue");
    }

    private Registry() {
    }

    /** Every object, in registration order. */
    public static List<MibVariable> all() {
        return List.copyOf(ALL);
    }

    /** The columns of {@code table} served on some kernel, ascending. */
    public static List<MibVariable> columns(MibTable table) {
        return columns(table, KernelFeatures.all());
    }

    /** The columns of {@code table} served on a kernel with {@code features}, ascending. */
    public static List<MibVariable> columns(MibTable table, KernelFeatures features) {
        return ALL.stream().filter(v -> v.table() == table && v.servedWith(features))
                .sorted(Comparator.comparingInt(MibVariable::column)).toList();
    }

    /** Marks objects as needing a kernel feature: on a kernel without it they are not served. */
    private static void needs(KernelFeature feature, String... names) {
        for (String name : names) {
            MibVariable v = named(name);
            ALL.set(ALL.indexOf(v), new MibVariable(v.name(), v.table(), v.column(), v.type(), v.syntax(), v.access(),
                    v.writable(), v.units(), v.source(), v.group(), v.linux(), v.deviation(), v.value(), feature));
        }
    }

    public static MibVariable named(String name) {
        return ALL.stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no variable " + name));
    }

    /**
     * Time from the connection's start to its most recent segment (RFC 4898
     * ElapsedSecs/MicroSecs). For a connection older than the agent the start is the
     * agent's first sight, and the elapsed time is 0 until it next sends or receives.
     */
    static long elapsedNanos(SocketRecord r) {
        return Math.max(0, r.get(LAST_EVENT_US) * 1000 - r.get(START_NS));
    }


    /** tcpEStatsStackInRecovery: contiguous(1), unordered(2), recovery(3). */
    static long inRecovery(SocketRecord r, int caState) {
        if (r.get(RETRANS_OUT) > 0) {
            return 3;
        }
        return r.get(SACKED_OUT) > 0 || caState == 1 /* TCP_CA_Disorder */ ? 2 : 1;
    }

    /** TcpEStatsNegotiated: enabled(1), selfDisabled(2), peerDisabled(3). */
    static long negotiated(boolean on, boolean selfOff) {
        return on ? 1 : selfOff ? 2 : 3;
    }

    static long truth(boolean b) {
        return b ? 1 : 2;
    }

    private static long nonZero(long v) {
        return v == 0 ? RowValue.ABSENT : v;
    }

    private static SocketRecord s(tcpestats.store.StoreRow r) {
        return r.socket();
    }

    private static RowValue f(Field field) {
        return (r, c) -> r.socket().get(field);
    }

    private static void add(String name, MibTable table, int column, SmiType type, String syntax, Access access,
                            String units, Source source, String group, String linux, String deviation,
                            RowValue value) {
        add(name, table, column, type, syntax, access, false, units, source, group, linux, deviation, value);
    }

    private static void add(String name, MibTable table, int column, SmiType type, String syntax, Access access,
                            boolean writable, String units, Source source, String group, String linux,
                            String deviation, RowValue value) {
        ALL.add(new MibVariable(name, table, column, type, syntax, access, writable, units, source, group, linux,
                deviation, value, null));
    }

    private static void listenerCounter(int column, String what, String name, String linux, RowValue value,
                                        Source source) {
        add(name, LISTENER, column, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "", source, "tcpEStatsListenerGroup",
                linux, source == KERNEL_ACCUMULATOR ? "Counts from the agent's start." : "", value);
        add("tcpEStatsListenerHC" + what, LISTENER, column + 5, ZERO_BASED_COUNTER64, ZBC64, READ_ONLY, "", source,
                "tcpEStatsListenerHCGroup", "The 64-bit count behind " + name + ".",
                source == KERNEL_ACCUMULATOR ? "Counts from the agent's start." : "", value);
    }

    private static void perfCounter(int column, String what, String units, String linux, Field field) {
        add("tcpEStatsPerf" + what, PERF, column, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, units, KERNEL_FIELD,
                "tcpEStatsPerfGroup", linux, "", f(field));
        if (what.equals("DataOctetsOut")) {
            add("tcpEStatsPerfHCDataOctetsOut", PERF, 4, ZERO_BASED_COUNTER64, ZBC64, READ_ONLY, units,
                    KERNEL_FIELD, "tcpEStatsPerfHCGroup", "The 64-bit tp->bytes_sent.", "", f(field));
        }
    }

    private static void pathCounter(int column, String what, String units, String group, String linux, Field field,
                                    String deviation) {
        RowValue value = field == null ? (r, c) -> s(r).get(SUM_RTT_US) / 1000 : f(field);
        add("tcpEStatsPath" + what, PATH, column, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, units, KERNEL_ACCUMULATOR,
                group, linux, (deviation + (deviation.isEmpty() ? "" : " ") + OLDER.strip()).strip(), value);
    }

    private static void stackCounter(int column, String what, String group, String linux, Field field,
                                     String deviation) {
        add("tcpEStatsStack" + what, STACK, column, ZERO_BASED_COUNTER32, ZBC32, READ_ONLY, "", KERNEL_ACCUMULATOR,
                group, linux, (deviation + (deviation.isEmpty() ? "" : " ") + OLDER.strip()).strip(), f(field));
    }

    private static void stackGauge(int column, String what, String units, String group, String linux, Field field,
                                   String deviation) {
        // a minimum (or a maximum of ssthresh, which may never have been finite) of no sample is no value
        boolean absentWhenZero = what.startsWith("Min") || what.equals("MaxSsthresh");
        add("tcpEStatsStack" + what, STACK, column, GAUGE32, "Gauge32", READ_ONLY, units, KERNEL_ACCUMULATOR, group,
                linux, (deviation + " " + OLDER.strip()).strip(),
                absentWhenZero ? (r, c) -> nonZero(s(r).get(field)) : f(field));
    }

    private static void gauge(MibTable table, int column, String name, String units, String group, Source source,
                              String linux, String deviation, RowValue value) {
        add(name, table, column, GAUGE32, "Gauge32", READ_ONLY, units, source, group, linux, deviation, value);
    }

    private static void tune(int column, String name, Source source, String linux, String deviation,
                             RowValue value) {
        add(name, TUNE, column, UNSIGNED32, "Unsigned32", READ_WRITE, true, "octets", source,
                "tcpEStatsTuneOptionalGroup", linux, deviation, value);
    }
}
