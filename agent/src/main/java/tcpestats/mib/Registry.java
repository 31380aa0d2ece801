package tcpestats.mib;

import tcpestats.collect.Control;
import tcpestats.collect.Field;
import tcpestats.collect.KernelFeature;
import tcpestats.collect.KernelFeatures;
import tcpestats.collect.SocketRecord;
import tcpestats.store.ConnectionRow;
import tcpestats.store.ListenerRow;

import java.util.ArrayList;
import java.util.Arrays;
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
    private static final String NEGOTIATED = "TcpEStatsNegotiated";
    private static final String OLDER =
            " For a connection older than the agent it counts from the agent's first sight.";

    private static final List<MibVariable> ALL = new ArrayList<>();

    static {
        // TCP-MIB (RFC 4022)
        object("tcpConnectionState", TCP_CONNECTION, 7).syntax(INTEGER, "INTEGER").maxAccess(READ_WRITE)
                .source(KERNEL_FIELD)
                .linux("sk_state of the socket. Request sockets (NEW_SYN_RECV) read synReceived.")
                .deviation("Read-only here: deleteTCB is not supported.")
                .reads((r, c) -> r.socket().state().tcpMibValue());
        object("tcpConnectionProcess", TCP_CONNECTION, 8).syntax(UNSIGNED32).source(DERIVED)
                .linux("Process holding the socket, found in /proc/PID/fd as ss -p does; 0 if none.")
                .reads((r, c) -> r.pid());
        object("tcpListenerProcess", TCP_LISTENER, 4).syntax(UNSIGNED32).source(DERIVED)
                .linux("Process holding the listening socket, found in /proc/PID/fd; 0 if none.")
                .reads((r, c) -> r.pid());

        // tcpEStatsListenerTable
        object("tcpEStatsListenerStartTime", LISTENER, 1).syntax(TIMESTAMP).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsListenerGroup")
                .linux("sysUpTime when the socket entered LISTEN (the sockops program's listen callback).")
                .deviation("0 for a listener created before the agent started.")
                .reads((r, c) -> s(r).get(START_KNOWN) == 1 ? c.timeStamp(s(r).get(START_NS)) : 0);
        object("tcpEStatsListenerSynRcvd", LISTENER, 2).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsListenerGroup")
                .linux("SYN segments delivered to the listener, counted by the cgroup_skb ingress program (before "
                        + "any SYN queue or backlog check).")
                .deviation("Counts from the agent's start.")
                .reads((r, c) -> s(r).get(LISTEN_SYN_RCVD));
        object("tcpEStatsListenerHCSynRcvd", LISTENER, 7).syntax(ZERO_BASED_COUNTER64).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsListenerHCGroup")
                .linux("The 64-bit count behind tcpEStatsListenerSynRcvd.")
                .deviation("Counts from the agent's start.")
                .reads((r, c) -> s(r).get(LISTEN_SYN_RCVD));
        object("tcpEStatsListenerInitial", LISTENER, 3).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsListenerGroup")
                .linux("Request sockets created for the listener's endpoint (sockops TIMEOUT_INIT on a request "
                        + "socket, called from tcp_conn_request when a SYN-ACK is sent); SYN cookies create none.")
                .deviation("Counts from the agent's start.")
                .reads((r, c) -> ((ListenerRow) r).initial());
        object("tcpEStatsListenerHCInitial", LISTENER, 8).syntax(ZERO_BASED_COUNTER64).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsListenerHCGroup")
                .linux("The 64-bit count behind tcpEStatsListenerInitial.")
                .deviation("Counts from the agent's start.")
                .reads((r, c) -> ((ListenerRow) r).initial());
        object("tcpEStatsListenerEstablished", LISTENER, 4).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsListenerGroup")
                .linux("Passive connections whose handshake completed on the listener's endpoint (sockops "
                        + "PASSIVE_ESTABLISHED_CB on the new socket).")
                .deviation("Counts from the agent's start.")
                .reads((r, c) -> ((ListenerRow) r).established());
        object("tcpEStatsListenerHCEstablished", LISTENER, 9).syntax(ZERO_BASED_COUNTER64).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsListenerHCGroup")
                .linux("The 64-bit count behind tcpEStatsListenerEstablished.")
                .deviation("Counts from the agent's start.")
                .reads((r, c) -> ((ListenerRow) r).established());
        object("tcpEStatsListenerAccepted", LISTENER, 5).syntax(ZERO_BASED_COUNTER32).source(DERIVED)
                .group("tcpEStatsListenerGroup")
                .linux("Established minus the connections still waiting in the accept queue (sk_ack_backlog).")
                .reads((r, c) -> Math.max(0, ((ListenerRow) r).established() - s(r).get(ACK_BACKLOG)));
        object("tcpEStatsListenerHCAccepted", LISTENER, 10).syntax(ZERO_BASED_COUNTER64).source(DERIVED)
                .group("tcpEStatsListenerHCGroup")
                .linux("The 64-bit count behind tcpEStatsListenerAccepted.")
                .reads((r, c) -> Math.max(0, ((ListenerRow) r).established() - s(r).get(ACK_BACKLOG)));
        object("tcpEStatsListenerExceedBacklog", LISTENER, 6).syntax(ZERO_BASED_COUNTER32).source(KERNEL_FIELD)
                .group("tcpEStatsListenerGroup")
                .linux("sk_drops of the listener: SYN or accept queue overflows and failed child creation "
                        + "(tcp_listendrop).")
                .reads((r, c) -> s(r).get(LISTEN_DROPS));
        object("tcpEStatsListenerHCExceedBacklog", LISTENER, 11).syntax(ZERO_BASED_COUNTER64).source(KERNEL_FIELD)
                .group("tcpEStatsListenerHCGroup")
                .linux("The 64-bit count behind tcpEStatsListenerExceedBacklog.")
                .reads((r, c) -> s(r).get(LISTEN_DROPS));
        object("tcpEStatsListenerCurConns", LISTENER, 12).syntax(GAUGE32).source(DERIVED)
                .group("tcpEStatsListenerGroup")
                .linux("Established passive connections on the listener's endpoint that the application has accepted "
                        + "(they hold a struct socket).")
                .reads((r, c) -> ((ListenerRow) r).curConns());
        object("tcpEStatsListenerMaxBacklog", LISTENER, 13).syntax(UNSIGNED32).source(KERNEL_FIELD)
                .group("tcpEStatsListenerGroup")
                .linux("sk_max_ack_backlog: the listen() backlog after the somaxconn limit.")
                .reads((r, c) -> s(r).get(MAX_ACK_BACKLOG));
        object("tcpEStatsListenerCurBacklog", LISTENER, 14).syntax(GAUGE32).source(KERNEL_FIELD)
                .group("tcpEStatsListenerGroup")
                .linux("Request sockets in the SYN queue (icsk_accept_queue.qlen) plus established connections not "
                        + "yet accepted (sk_ack_backlog).")
                .deviation("SYN-cookie handshakes hold no state and are not counted.")
                .reads((r, c) -> s(r).get(SYN_QUEUE) + s(r).get(ACK_BACKLOG));
        object("tcpEStatsListenerCurEstabBacklog", LISTENER, 15).syntax(GAUGE32).source(KERNEL_FIELD)
                .group("tcpEStatsListenerGroup")
                .linux("sk_ack_backlog: established connections waiting for accept().")
                .reads((r, c) -> s(r).get(ACK_BACKLOG));

        // tcpEStatsConnectIdTable
        object("tcpEStatsConnectIndex", CONNECT_ID, 1).syntax(UNSIGNED32, "Unsigned32 (1..4294967295)").source(DERIVED)
                .group("tcpEStatsConnectIdGroup")
                .linux("Assigned by the agent per socket cookie, from 1 upwards; kept for the connection's life and "
                        + "not reused while its row is visible.")
                .reads((r, c) -> ((ConnectionRow) r).connectIndex());

        // tcpEStatsPerfTable
        object("tcpEStatsPerfSegsOut", PERF, 1).syntax(ZERO_BASED_COUNTER32).source(KERNEL_FIELD)
                .group("tcpEStatsPerfGroup")
                .linux("tp->segs_out: segments sent, retransmissions and pure ACKs included.")
                .reads(f(SEGS_OUT));
        object("tcpEStatsPerfDataSegsOut", PERF, 2).syntax(ZERO_BASED_COUNTER32).source(KERNEL_FIELD)
                .group("tcpEStatsPerfGroup")
                .linux("tp->data_segs_out: segments sent that carried data.")
                .reads(f(DATA_SEGS_OUT));
        object("tcpEStatsPerfDataOctetsOut", PERF, 3).syntax(ZERO_BASED_COUNTER32).source(KERNEL_FIELD).units("octets")
                .group("tcpEStatsPerfGroup")
                .linux("tp->bytes_sent: payload octets sent, retransmissions included.")
                .reads(f(BYTES_SENT));
        object("tcpEStatsPerfHCDataOctetsOut", PERF, 4).syntax(ZERO_BASED_COUNTER64).source(KERNEL_FIELD)
                .units("octets").group("tcpEStatsPerfHCGroup")
                .linux("The 64-bit tp->bytes_sent.")
                .reads(f(BYTES_SENT));
        object("tcpEStatsPerfSegsRetrans", PERF, 5).syntax(ZERO_BASED_COUNTER32).source(KERNEL_FIELD)
                .group("tcpEStatsPerfGroup")
                .linux("tp->total_retrans: segments retransmitted, SYN and SYN-ACK included.")
                .reads(f(TOTAL_RETRANS));
        object("tcpEStatsPerfOctetsRetrans", PERF, 6).syntax(ZERO_BASED_COUNTER32).source(KERNEL_FIELD).units("octets")
                .group("tcpEStatsPerfGroup")
                .linux("tp->bytes_retrans: payload octets retransmitted.")
                .reads(f(BYTES_RETRANS));
        object("tcpEStatsPerfSegsIn", PERF, 7).syntax(ZERO_BASED_COUNTER32).source(KERNEL_FIELD)
                .group("tcpEStatsPerfGroup")
                .linux("tp->segs_in: segments received, counted before the socket backlog merges any.")
                .reads(f(SEGS_IN));
        object("tcpEStatsPerfDataSegsIn", PERF, 8).syntax(ZERO_BASED_COUNTER32).source(KERNEL_FIELD)
                .group("tcpEStatsPerfGroup")
                .linux("tp->data_segs_in: segments received that carried data.")
                .reads(f(DATA_SEGS_IN));
        object("tcpEStatsPerfDataOctetsIn", PERF, 9).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .units("octets").group("tcpEStatsPerfGroup")
                .linux("Payload octets of every segment the socket received, duplicates included, summed by the "
                        + "cgroup ingress program before TCP validates the segment.").fromFirstSight()
                .reads(f(DATA_OCTETS_IN));
        object("tcpEStatsPerfHCDataOctetsIn", PERF, 10).syntax(ZERO_BASED_COUNTER64).source(KERNEL_ACCUMULATOR)
                .units("octets").group("tcpEStatsPerfHCGroup")
                .linux("The 64-bit count behind DataOctetsIn.")
                .deviation("As DataOctetsIn.")
                .reads(f(DATA_OCTETS_IN));
        object("tcpEStatsPerfElapsedSecs", PERF, 11).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .units("seconds").group("tcpEStatsPerfGroup")
                .linux("Seconds from the connection's start (sockops at connect() or at the end of a passive "
                        + "handshake) to its last segment sent or received (tp->tcp_mstamp).")
                .deviation("For a connection older than the agent the start is the agent's first sight.")
                .reads((r, c) -> elapsedNanos(s(r)) / NANOS_PER_SECOND);
        object("tcpEStatsPerfElapsedMicroSecs", PERF, 12).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .units("microseconds").group("tcpEStatsPerfGroup")
                .linux("The microseconds part of the same interval.")
                .deviation("As ElapsedSecs.")
                .reads((r, c) -> elapsedNanos(s(r)) % NANOS_PER_SECOND / 1000);
        object("tcpEStatsPerfStartTimeStamp", PERF, 13).syntax(DATE_AND_TIME).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsPerfGroup")
                .linux("Wall-clock time (UTC) of the connection's start, as for ElapsedSecs.")
                .deviation("For a connection older than the agent: the agent's first sight.")
                .reads((r, c) -> c.wallMillis(s(r).get(START_NS)));
        object("tcpEStatsPerfCurMSS", PERF, 14).syntax(GAUGE32).source(KERNEL_FIELD).units("octets")
                .group("tcpEStatsPerfGroup")
                .linux("tp->mss_cache: the current sending MSS.")
                .reads(f(MSS_CACHE));
        object("tcpEStatsPerfPipeSize", PERF, 15).syntax(GAUGE32).source(KERNEL_FIELD).units("octets")
                .group("tcpEStatsPerfGroup")
                .linux("Segments in flight (packets_out - sacked_out - lost_out + retrans_out, "
                        + "tcp_packets_in_flight) times the MSS.")
                .deviation("Segment-granular.")
                .reads(f(PIPE_OCTETS));
        object("tcpEStatsPerfMaxPipeSize", PERF, 16).syntax(GAUGE32).source(KERNEL_ACCUMULATOR).units("octets")
                .group("tcpEStatsPerfGroup")
                .linux("Largest PipeSize sampled at each segment sent, counting that segment (cgroup_skb egress), "
                        + "and before each received ACK while the Path, Stack or App table is on (tcp_probe).")
                .deviation("Sampled; a peak between two samples is missed.").fromFirstSight()
                .reads(f(MAX_PIPE_SIZE));
        object("tcpEStatsPerfSmoothedRTT", PERF, 17).syntax(GAUGE32).source(KERNEL_FIELD).units("milliseconds")
                .group("tcpEStatsPerfGroup")
                .linux("tp->srtt_us / 8, in milliseconds.")
                .reads((r, c) -> s(r).get(SRTT_US) / 1000);
        object("tcpEStatsPerfCurRTO", PERF, 18).syntax(GAUGE32).source(KERNEL_FIELD).units("milliseconds")
                .group("tcpEStatsPerfGroup")
                .linux("icsk_rto converted from jiffies to milliseconds at the kernel's tick rate (CONFIG_HZ, which "
                        + "the agent measures at start).")
                .reads(f(RTO_MS));
        object("tcpEStatsPerfCongSignals", PERF, 19).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsPerfGroup")
                .linux("Window reductions the kernel decides on, seen at the tcp_cong_state_set tracepoint as it "
                        + "decides: entering CWR; entering Recovery unless a reduction is under way (CWR); entering "
                        + "Loss from Open or Disorder, once the last reduction's window was acknowledged, or at the "
                        + "first timeout after progress in Loss. Backed-off timeouts and a timeout during fast "
                        + "recovery keep ssthresh (RFC 5681: one reduction per window) and are no new signal.")
                .deviation("With BBR these are loss and ECN events, not window halvings.").fromFirstSight()
                .reads(f(CONG_SIGNALS));
        object("tcpEStatsPerfCurCwnd", PERF, 20).syntax(GAUGE32).source(KERNEL_FIELD).units("octets")
                .group("tcpEStatsPerfGroup")
                .linux("tp->snd_cwnd times the MSS.")
                .reads(f(CWND_OCTETS));
        object("tcpEStatsPerfCurSsthresh", PERF, 21).syntax(GAUGE32).source(KERNEL_FIELD).units("octets")
                .group("tcpEStatsPerfGroup")
                .linux("tp->snd_ssthresh times the MSS.")
                .deviation("Reads 4294967295 while the kernel's ssthresh is still infinite (no congestion yet).")
                .reads(f(SSTHRESH_OCTETS));
        object("tcpEStatsPerfTimeouts", PERF, 22).syntax(ZERO_BASED_COUNTER32).source(KERNEL_FIELD)
                .needs(KernelFeature.TOTAL_RTO)
                .group("tcpEStatsPerfGroup")
                .linux("tp->total_rto_recoveries: retransmission timeouts with backoff 1 (the first timeout of a "
                        + "recovery).")
                .reads(f(TOTAL_RTO_RECOVERIES));
        object("tcpEStatsPerfCurRwinSent", PERF, 23).syntax(GAUGE32).source(KERNEL_FIELD).units("octets")
                .group("tcpEStatsPerfGroup")
                .linux("tp->rcv_wnd: the receive window last advertised.")
                .reads(f(RCV_WND));
        object("tcpEStatsPerfMaxRwinSent", PERF, 24).syntax(GAUGE32).source(KERNEL_ACCUMULATOR).units("octets")
                .group("tcpEStatsPerfGroup")
                .linux("Largest window field sent, scaled by our window scale (cgroup_skb egress).").fromFirstSight()
                .reads(f(MAX_RWIN_SENT));
        object("tcpEStatsPerfZeroRwinSent", PERF, 25).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsPerfGroup")
                .linux("Segments sent with a zero window after one with a non-zero window (cgroup_skb egress).")
                .fromFirstSight()
                .reads(f(ZERO_RWIN_SENT));
        object("tcpEStatsPerfCurRwinRcvd", PERF, 26).syntax(GAUGE32).source(KERNEL_FIELD).units("octets")
                .group("tcpEStatsPerfGroup")
                .linux("tp->snd_wnd: the peer's last advertised window.")
                .reads(f(SND_WND));
        object("tcpEStatsPerfMaxRwinRcvd", PERF, 27).syntax(GAUGE32).source(KERNEL_FIELD).units("octets")
                .group("tcpEStatsPerfGroup")
                .linux("tp->max_window: the largest window the peer advertised.")
                .reads(f(MAX_WINDOW));
        object("tcpEStatsPerfZeroRwinRcvd", PERF, 28).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsPerfGroup")
                .linux("Segments received with a zero window after one with a non-zero window (cgroup ingress).")
                .fromFirstSight()
                .reads(f(ZERO_RWIN_RCVD));
        String[] limits = {"Rwin", "Cwnd", "Snd"};
        for (int i = 0; i < limits.length; i++) {
            object("tcpEStatsPerfSndLimTrans" + limits[i], PERF, 31 + i).syntax(ZERO_BASED_COUNTER32)
                    .source(NOT_AVAILABLE).group("tcpEStatsPerfOptionalGroup")
                    .linux("Linux changes its sender-limit state (tp->chrono_type) inside tcp_write_xmit and "
                            + "tcp_sendmsg, where no tracepoint is; transitions cannot be counted.")
                    .deviation("Not served.")
                    .notServed();
        }
        object("tcpEStatsPerfSndLimTimeRwin", PERF, 34).syntax(ZERO_BASED_COUNTER32).source(KERNEL_FIELD)
                .units("milliseconds").group("tcpEStatsPerfOptionalGroup")
                .linux("The kernel's receive-window-limited time (chrono_stat[TCP_CHRONO_RWND_LIMITED], "
                        + "tcpi_rwnd_limited).")
                .reads(f(RWND_LIMITED_MS));
        object("tcpEStatsPerfSndLimTimeCwnd", PERF, 35).syntax(ZERO_BASED_COUNTER32).source(KERNEL_FIELD)
                .units("milliseconds").group("tcpEStatsPerfOptionalGroup")
                .linux("The kernel's busy time that was neither receive-window nor send-buffer limited "
                        + "(chrono_stat[TCP_CHRONO_BUSY]).")
                .deviation("Linux has no separate congestion-limited time: pacing-limited time is included.")
                .reads((r, c) -> Math.max(0,
                        s(r).get(BUSY_MS) - s(r).get(RWND_LIMITED_MS) - s(r).get(SNDBUF_LIMITED_MS)));
        object("tcpEStatsPerfSndLimTimeSnd", PERF, 36).syntax(ZERO_BASED_COUNTER32).source(DERIVED)
                .units("milliseconds").group("tcpEStatsPerfOptionalGroup")
                .linux("Send-buffer-limited time (chrono_stat[TCP_CHRONO_SNDBUF_LIMITED]) plus the time the sender "
                        + "had nothing to send (elapsed time minus the kernel's busy time).")
                .deviation("The idle part of a connection older than the agent counts from the agent's first sight.")
                .reads((r, c) -> s(r).get(SNDBUF_LIMITED_MS) + Math.max(0,
                        (s(r).get(NOW_NS) - s(r).get(START_NS)) / 1_000_000 - s(r).get(BUSY_MS)));

        // tcpEStatsPathTable
        object("tcpEStatsPathRetranThresh", PATH, 1).syntax(GAUGE32).source(KERNEL_FIELD).group("tcpEStatsPathGroup")
                .linux("tp->reordering: duplicate ACKs (or SACKed segments) that trigger fast retransmit; Linux "
                        + "adapts it.")
                .reads(f(REORDERING));
        object("tcpEStatsPathNonRecovDAEpisodes", PATH, 2).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsPathGroup")
                .linux("Returns from the Disorder to the Open congestion state (tcp_cong_state_set) after at least "
                        + "one duplicate ACK: dup-ACK episodes that ended without a fast retransmit (Disorder "
                        + "entered on SACKs alone is no such episode).").fromFirstSight()
                .reads(f(NON_RECOV_DA_EPISODES));
        object("tcpEStatsPathSumOctetsReordered", PATH, 3).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .units("octets").group("tcpEStatsPathGroup")
                .linux("Advance of the greatest ACK number received, by the ACK that ended each such episode "
                        + "(cgroup_skb ingress).").fromFirstSight()
                .reads(f(SUM_OCTETS_REORDERED));
        object("tcpEStatsPathNonRecovDA", PATH, 4).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsPathGroup")
                .linux("Duplicate ACKs received (cgroup_skb ingress) in episodes that ended without a fast "
                        + "retransmit.").fromFirstSight()
                .reads(f(NON_RECOV_DA));
        object("tcpEStatsPathSampleRTT", PATH, 11).syntax(GAUGE32).source(KERNEL_ACCUMULATOR).units("milliseconds")
                .group("tcpEStatsPathOptionalGroup")
                .linux("The last RTT sample: the handshake's (srtt when the connection is established, its only "
                        + "measurement so far), then the measured RTT of each sockops RTT_CB, which the kernel makes "
                        + "once per round trip (when snd_una passes rtt_seq), not on every ACK.")
                .deviation("Absent until the first sample (none when the handshake was retransmitted). Before Linux "
                        + "6.10 RTT_CB carries no measurement: the smoothed RTT before the update stands in.")
                .reads((r, c) -> s(r).get(COUNT_RTT) == 0 ? RowValue.ABSENT : s(r).get(SAMPLE_RTT_US) / 1000);
        object("tcpEStatsPathRTTVar", PATH, 12).syntax(GAUGE32).source(KERNEL_FIELD).units("milliseconds")
                .group("tcpEStatsPathOptionalGroup")
                .linux("tp->mdev_us / 4: the RTT mean deviation (as tcpi_rttvar), in milliseconds.")
                .reads((r, c) -> s(r).get(MDEV_US) / 1000);
        object("tcpEStatsPathMaxRTT", PATH, 13).syntax(GAUGE32).source(KERNEL_ACCUMULATOR).units("milliseconds")
                .group("tcpEStatsPathOptionalGroup")
                .linux("Largest RTT sample (see SampleRTT).")
                .deviation("Absent until the first sample.")
                .reads((r, c) -> s(r).get(COUNT_RTT) == 0 ? RowValue.ABSENT : s(r).get(MAX_RTT_US) / 1000);
        object("tcpEStatsPathMinRTT", PATH, 14).syntax(GAUGE32).source(KERNEL_ACCUMULATOR).units("milliseconds")
                .group("tcpEStatsPathOptionalGroup")
                .linux("Smallest RTT sample (see SampleRTT).")
                .deviation("Absent until the first sample.")
                .reads((r, c) -> s(r).get(COUNT_RTT) == 0 ? RowValue.ABSENT : s(r).get(MIN_RTT_US) / 1000);
        object("tcpEStatsPathSumRTT", PATH, 15).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .units("milliseconds").group("tcpEStatsPathOptionalGroup")
                .linux("Sum of the RTT samples (see SampleRTT), kept in microseconds and read in milliseconds.")
                .fromFirstSight()
                .reads((r, c) -> s(r).get(SUM_RTT_US) / 1000);
        object("tcpEStatsPathHCSumRTT", PATH, 16).syntax(ZERO_BASED_COUNTER64).source(KERNEL_ACCUMULATOR)
                .units("milliseconds").group("tcpEStatsPathHCGroup")
                .linux("The 64-bit sum behind SumRTT.")
                .reads((r, c) -> s(r).get(SUM_RTT_US) / 1000);
        object("tcpEStatsPathCountRTT", PATH, 17).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsPathOptionalGroup")
                .linux("RTT samples taken: the handshake's, then one per round trip (sockops RTT_CB), so SumRTT / "
                        + "CountRTT is the mean of one sample per round trip.")
                .deviation("RFC 4898 counts every measurement; the kernel measures on every ACK of new data but "
                        + "calls RTT_CB once per round trip, and nothing else reaches the per-ACK measurements "
                        + "without kprobes or fentry.").fromFirstSight()
                .reads(f(COUNT_RTT));
        object("tcpEStatsPathMaxRTO", PATH, 18).syntax(GAUGE32).source(KERNEL_ACCUMULATOR).units("milliseconds")
                .group("tcpEStatsPathOptionalGroup")
                .linux("Largest icsk_rto sampled before each received ACK, at each timeout (sockops RTO_CB) and when "
                        + "the row is read, so never below CurRTO while the timer backs off.")
                .deviation("Absent until the first sample.")
                .reads((r, c) -> nonZero(s(r).get(MAX_RTO_MS)));
        object("tcpEStatsPathMinRTO", PATH, 19).syntax(GAUGE32).source(KERNEL_ACCUMULATOR).units("milliseconds")
                .group("tcpEStatsPathOptionalGroup")
                .linux("Smallest of the same samples.")
                .deviation("Absent until the first sample.")
                .reads((r, c) -> nonZero(s(r).get(MIN_RTO_MS)));
        object("tcpEStatsPathIpTtl", PATH, 20).syntax(UNSIGNED32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsPathOptionalGroup")
                .linux("TTL (IPv4) or hop limit (IPv6) of the last segment received (cgroup_skb ingress).")
                .deviation("Absent until a segment is received with the table enabled.")
                .reads((r, c) -> nonZero(s(r).get(IP_TTL)));
        object("tcpEStatsPathIpTosIn", PATH, 21).syntax(OCTET, "OCTET STRING (SIZE(1))").source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsPathOptionalGroup")
                .linux("TOS (IPv4) or traffic class (IPv6) octet of the last segment received (cgroup_skb ingress).")
                .deviation("Absent until a segment is received with the table enabled.")
                .reads((r, c) -> s(r).get(IP_TTL) == 0 ? RowValue.ABSENT : s(r).get(IP_TOS_IN));
        object("tcpEStatsPathIpTosOut", PATH, 22).syntax(OCTET, "OCTET STRING (SIZE(1))").source(KERNEL_FIELD)
                .group("tcpEStatsPathOptionalGroup")
                .linux("The socket's TOS (inet->tos) or IPv6 traffic class (tclass).")
                .deviation("The ECN bits the kernel sets per packet are not included.")
                .reads(f(TOS_OUT));
        object("tcpEStatsPathPreCongSumCwnd", PATH, 23).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .units("octets").group("tcpEStatsPathOptionalGroup")
                .linux("At each congestion signal, tp->prior_cwnd (the window before the reduction) times the MSS.")
                .fromFirstSight()
                .reads(f(PRE_CONG_SUM_CWND));
        object("tcpEStatsPathPreCongSumRTT", PATH, 24).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .units("milliseconds").group("tcpEStatsPathOptionalGroup")
                .linux("At each congestion signal, the last RTT sample.").fromFirstSight()
                .reads((r, c) -> s(r).get(PRE_CONG_SUM_RTT_US) / 1000);
        object("tcpEStatsPathPostCongSumRTT", PATH, 25).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .units("milliseconds").group("tcpEStatsPathOptionalGroup")
                .linux("The first RTT sample after each congestion signal.")
                .deviation("RFC 4898 gives UNITS \"octets\"; the value is in milliseconds.")
                .reads((r, c) -> s(r).get(POST_CONG_SUM_RTT_US) / 1000);
        object("tcpEStatsPathPostCongCountRTT", PATH, 26).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsPathOptionalGroup")
                .linux("RTT samples added to PostCongSumRTT.")
                .deviation("RFC 4898 gives UNITS \"milliseconds\"; the value is a count.").fromFirstSight()
                .reads(f(POST_CONG_COUNT_RTT));
        object("tcpEStatsPathECNsignals", PATH, 27).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsPathOptionalGroup")
                .linux("ACKs received with ECE on an ECN-capable connection (cgroup_skb ingress).").fromFirstSight()
                .reads(f(ECN_SIGNALS));
        object("tcpEStatsPathDupAckEpisodes", PATH, 28).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsPathOptionalGroup")
                .linux("Runs of duplicate ACKs sent: a pure ACK repeating the previous ACK number and window after "
                        + "one that did not (cgroup_skb egress).").fromFirstSight()
                .reads(f(DUP_ACK_EPISODES));
        object("tcpEStatsPathRcvRTT", PATH, 29).syntax(GAUGE32).source(KERNEL_FIELD).units("milliseconds")
                .group("tcpEStatsPathOptionalGroup")
                .linux("The receiver's RTT estimate (tp->rcv_rtt_est.rtt_us / 8, as tcpi_rcv_rtt), in milliseconds.")
                .deviation("RFC 4898 gives no UNITS; milliseconds like the other RTT objects.")
                .reads((r, c) -> s(r).get(RCV_RTT_US) / 1000);
        object("tcpEStatsPathDupAcksOut", PATH, 30).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsPathOptionalGroup")
                .linux("Pure ACKs sent that repeat the previous ACK number and window (cgroup_skb egress).")
                .fromFirstSight()
                .reads(f(DUP_ACKS_OUT));
        object("tcpEStatsPathCERcvd", PATH, 31).syntax(ZERO_BASED_COUNTER32).source(KERNEL_FIELD)
                .needs(KernelFeature.RECEIVED_CE)
                .group("tcpEStatsPathOptionalGroup")
                .linux("tp->received_ce: segments received with CE marked.")
                .reads(f(RECEIVED_CE));
        object("tcpEStatsPathECESent", PATH, 32).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsPathOptionalGroup")
                .linux("Segments sent with ECE set after one without (cgroup_skb egress): each newly echoed "
                        + "congestion experience.").fromFirstSight()
                .reads(f(ECE_SENT));

        // tcpEStatsStackTable
        object("tcpEStatsStackActiveOpen", STACK, 1).syntax(INTEGER, "TruthValue").source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsStackGroup")
                .linux("true when sockops saw connect() (TCP_CONNECT_CB), false when it saw a passive handshake end.")
                .deviation("For a connection older than the agent: false when a listener exists on its local port.")
                .reads((r, c) -> truth(((ConnectionRow) r).activeOpen()));
        object("tcpEStatsStackMSSSent", STACK, 2).syntax(UNSIGNED32).source(KERNEL_FIELD).group("tcpEStatsStackGroup")
                .linux("tp->advmss, plus the 12 timestamp octets it excludes when timestamps are on.")
                .reads((r, c) -> s(r).get(ADVMSS) + (s(r).get(TSTAMP_OK) != 0 ? 12 : 0));
        object("tcpEStatsStackMSSRcvd", STACK, 3).syntax(UNSIGNED32).source(KERNEL_FIELD).group("tcpEStatsStackGroup")
                .linux("rx_opt.mss_clamp: the peer's MSS option.")
                .deviation("Limited by TCP_MAXSEG if the application set it; 536 when the peer sent no option.")
                .reads(f(MSS_CLAMP));
        object("tcpEStatsStackWinScaleSent", STACK, 4).syntax(INTEGER, "Integer32 (-1..14)").source(KERNEL_FIELD)
                .group("tcpEStatsStackGroup")
                .linux("rx_opt.rcv_wscale when window scaling was negotiated, else -1.")
                .deviation("When the peer did not agree the kernel forgets the shift it offered, so -1 is read.")
                .reads((r, c) -> s(r).get(WSCALE_OK) != 0 ? s(r).get(RCV_WSCALE) : -1);
        object("tcpEStatsStackWinScaleRcvd", STACK, 5).syntax(INTEGER, "Integer32 (-1..14)").source(KERNEL_FIELD)
                .group("tcpEStatsStackGroup")
                .linux("rx_opt.snd_wscale when window scaling was negotiated, else -1.")
                .reads((r, c) -> s(r).get(WSCALE_OK) != 0 ? s(r).get(SND_WSCALE) : -1);
        object("tcpEStatsStackTimeStamps", STACK, 6).syntax(INTEGER, NEGOTIATED).source(KERNEL_FIELD)
                .group("tcpEStatsStackGroup")
                .linux("rx_opt.tstamp_ok; if off, selfDisabled when net.ipv4.tcp_timestamps is 0, else peerDisabled.")
                .deviation("The sysctl is read now, not at the handshake.")
                .reads((r, c) -> negotiated(s(r).get(TSTAMP_OK) != 0, c.settings().timestamps() == 0));
        object("tcpEStatsStackECN", STACK, 7).syntax(INTEGER, NEGOTIATED).source(KERNEL_FIELD)
                .group("tcpEStatsStackGroup")
                .linux("TCP_ECN_OK in tp->ecn_flags; if off, selfDisabled when net.ipv4.tcp_ecn does not request ECN "
                        + "for this direction of open, else peerDisabled.")
                .deviation("The sysctl is read now, not at the handshake.")
                .reads((r, c) -> negotiated(s(r).get(ECN_OK) != 0, c.settings().ecn() == 0
                        || c.settings().ecn() == 2 && ((ConnectionRow) r).activeOpen()));
        object("tcpEStatsStackWillSendSACK", STACK, 8).syntax(INTEGER, NEGOTIATED).source(KERNEL_FIELD)
                .group("tcpEStatsStackGroup")
                .linux("rx_opt.sack_ok; if off, selfDisabled when net.ipv4.tcp_sack is 0, else peerDisabled.")
                .deviation("The sysctl is read now, not at the handshake.")
                .reads((r, c) -> negotiated(s(r).get(SACK_OK) != 0, c.settings().sack() == 0));
        object("tcpEStatsStackWillUseSACK", STACK, 9).syntax(INTEGER, NEGOTIATED).source(KERNEL_FIELD)
                .group("tcpEStatsStackGroup")
                .linux("As WillSendSACK: Linux acts on SACK blocks whenever SACK was negotiated.")
                .deviation("The sysctl is read now, not at the handshake.")
                .reads((r, c) -> negotiated(s(r).get(SACK_OK) != 0, c.settings().sack() == 0));
        object("tcpEStatsStackState", STACK, 10).syntax(INTEGER, "INTEGER { tcpESStateClosed(1), "
                        + "tcpESStateListen(2), "                        + "tcpESStateSynSent(3), "
                        + "tcpESStateSynReceived(4), tcpESStateEstablished(5), "
                        + ""                        + "tcpESStateFinWait1(6), tcpESStateFinWait2(7), "
                        + "tcpESStateCloseWait(8), tcpESStateLastAck(9), "
                        + ""                        + "tcpESStateClosing(10), tcpESStateTimeWait(11), "
                        + "tcpESStateDeleteTcb(12) }")
                .source(KERNEL_FIELD).group("tcpEStatsStackGroup")
                .linux("sk_state, numbered as tcpConnectionState.")
                .reads((r, c) -> r.socket().state().tcpMibValue());
        object("tcpEStatsStackNagle", STACK, 11).syntax(INTEGER, "TruthValue").source(KERNEL_FIELD)
                .group("tcpEStatsStackGroup")
                .linux("false when TCP_NODELAY set TCP_NAGLE_OFF in tp->nonagle, else true.")
                .reads((r, c) -> truth((s(r).get(NONAGLE) & 1) == 0));
        object("tcpEStatsStackMaxSsCwnd", STACK, 12).syntax(GAUGE32).source(KERNEL_ACCUMULATOR).units("octets")
                .group("tcpEStatsStackGroup")
                .linux("Largest cwnd (times the MSS) sampled in slow start (cwnd below ssthresh, outside Recovery "
                        + "and CWR, whose reductions are neither), before each received ACK and at each segment sent.")
                .deviation("Sampled.").fromFirstSight()
                .reads(f(MAX_SS_CWND));
        object("tcpEStatsStackMaxCaCwnd", STACK, 13).syntax(GAUGE32).source(KERNEL_ACCUMULATOR).units("octets")
                .group("tcpEStatsStackGroup")
                .linux("Largest cwnd (times the MSS) sampled in congestion avoidance (cwnd at or above ssthresh, "
                        + "outside Recovery and CWR).")
                .deviation("Sampled.").fromFirstSight()
                .reads(f(MAX_CA_CWND));
        object("tcpEStatsStackMaxSsthresh", STACK, 14).syntax(GAUGE32).source(KERNEL_ACCUMULATOR).units("octets")
                .group("tcpEStatsStackGroup")
                .linux("Largest finite ssthresh (times the MSS) sampled.")
                .deviation("Absent while ssthresh was never finite (no reduction yet; BBR sets it when it leaves "
                        + "STARTUP).").fromFirstSight()
                .reads((r, c) -> nonZero(s(r).get(MAX_SSTHRESH)));
        object("tcpEStatsStackMinSsthresh", STACK, 15).syntax(GAUGE32).source(KERNEL_ACCUMULATOR).units("octets")
                .group("tcpEStatsStackGroup")
                .linux("Smallest finite ssthresh (times the MSS) sampled.")
                .deviation("Absent while ssthresh was never finite (no reduction yet; BBR sets it when it leaves "
                        + "STARTUP).").fromFirstSight()
                .reads((r, c) -> nonZero(s(r).get(MIN_SSTHRESH)));
        object("tcpEStatsStackInRecovery", STACK, 16).syntax(INTEGER, "INTEGER { tcpESDataContiguous(1), "
                        + "tcpESDataUnordered(2), tcpESDataRecovery(3) }")
                .source(KERNEL_FIELD).group("tcpEStatsStackGroup")
                .linux("tcpESDataRecovery while retrans_out > 0; tcpESDataUnordered while segments are SACKed or the "
                        + "congestion state is Disorder; else tcpESDataContiguous.")
                .reads((r, c) -> inRecovery(s(r), r.socket().caState()));
        object("tcpEStatsStackDupAcksIn", STACK, 17).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsStackGroup")
                .linux("Duplicate ACKs as RFC 5681 defines them (data outstanding; no data, SYN or FIN; the greatest "
                        + "ACK number received; the window of the last ACK), judged as they arrive (cgroup_skb "
                        + "ingress), not against tp->snd_una, which lags behind ACKs waiting in the socket backlog.")
                .deviation("Two ACKs processed on two CPUs at once may be judged in the other order.").fromFirstSight()
                .reads(f(DUP_ACKS_IN));
        object("tcpEStatsStackSpuriousFrDetected", STACK, 18).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsStackGroup")
                .linux("Fast retransmits the kernel undid (D-SACK or timestamps showed them spurious): a Recovery "
                        + "episode whose undo marker the kernel cleared (tcp_undo_cwnd_reduction, fully or partly, "
                        + "or a D-SACK after it ended), what TcpExt counts as TCPFullUndo, TCPPartialUndo and "
                        + "TCPDSACKUndo.")
                .deviation("Seen at the tcp_cong_state_set tracepoint and at later hooks; independent of the "
                        + "congestion control (BBR does not restore ssthresh). An undo by the ACK that also starts "
                        + "the next reduction is not seen: nothing runs between the two (1 of 32 undos in one run "
                        + "under 3 % loss with BBR).").fromFirstSight()
                .reads(f(SPURIOUS_FR));
        object("tcpEStatsStackSpuriousRtoDetected", STACK, 19).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsStackGroup")
                .linux("Timeouts the kernel undid (F-RTO, timestamps, D-SACK): a Loss episode whose undo marker the "
                        + "kernel cleared, what TcpExt counts as TCPLossUndo (and TCPDSACKUndo after it ended).")
                .deviation("Seen at the tcp_cong_state_set tracepoint and at later hooks; independent of the "
                        + "congestion control. As SpuriousFrDetected, an undo by the ACK that starts the next "
                        + "reduction is not seen.").fromFirstSight()
                .reads(f(SPURIOUS_RTO));
        object("tcpEStatsStackSoftErrors", STACK, 21).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .needs(KernelFeature.KFREE_SKB_RX_SK)
                .group("tcpEStatsStackOptionalGroup")
                .linux("Segments the socket dropped as failing a consistency check, from the kfree_skb tracepoint's "
                        + "drop reason (SKB_DROP_REASON_TCP_*).")
                .deviation("Checks that do not drop the segment and checksum errors found before the socket lookup "
                        + "are not seen.").fromFirstSight()
                .reads(f(SOFT_ERRORS));
        object("tcpEStatsStackSoftErrorReason", STACK, 22).syntax(INTEGER, "INTEGER { belowDataWindow(1), "
                        + ""                        + "aboveDataWindow(2), belowAckWindow(3), aboveAckWindow(4), "
                        + "belowTSWindow(5), aboveTSWindow(6), "                        + "dataCheckSum(7), "
                        + "otherSoftError(8) }")
                .source(KERNEL_ACCUMULATOR).needs(KernelFeature.KFREE_SKB_RX_SK).group("tcpEStatsStackOptionalGroup")
                .linux("The drop reason of the last soft error, mapped to the RFC's classes.")
                .deviation("Absent until the first soft error.")
                .reads((r, c) -> nonZero(s(r).get(SOFT_ERROR_REASON)));
        object("tcpEStatsStackSlowStart", STACK, 23).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsStackOptionalGroup")
                .linux("cwnd increases seen between two received ACKs (tcp_probe) while cwnd was below ssthresh, "
                        + "outside Recovery and CWR.")
                .deviation("Meaningful for loss-based congestion control (reno, cubic); BBR sets ssthresh only when "
                        + "it leaves STARTUP.").fromFirstSight()
                .reads(f(SLOW_START));
        object("tcpEStatsStackCongAvoid", STACK, 24).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsStackOptionalGroup")
                .linux("cwnd increases seen between two received ACKs while cwnd was at or above ssthresh.")
                .deviation("As SlowStart.").fromFirstSight()
                .reads(f(CONG_AVOID));
        object("tcpEStatsStackOtherReductions", STACK, 25).syntax(ZERO_BASED_COUNTER32).source(NOT_AVAILABLE)
                .group("tcpEStatsStackOptionalGroup")
                .linux("Window reductions outside congestion control (after idle, when application limited) happen "
                        + "in kernel functions with no tracepoint.")
                .deviation("Not served.")
                .notServed();
        object("tcpEStatsStackCongOverCount", STACK, 26).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsStackOptionalGroup")
                .linux("Congestion reductions undone: SpuriousFrDetected plus SpuriousRtoDetected, each an undo "
                        + "TcpExt counts (TCPFullUndo, TCPPartialUndo, TCPDSACKUndo, TCPLossUndo).")
                .deviation("As SpuriousFrDetected.").fromFirstSight()
                .reads(f(CONG_OVER_COUNT));
        object("tcpEStatsStackFastRetran", STACK, 27).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsStackOptionalGroup")
                .linux("Entries into the Recovery congestion state (tcp_cong_state_set): fast retransmits.")
                .deviation("Against TcpExt TCPSackRecovery of a namespace holding only the connection, one entry "
                        + "in about 200 was missing in two of about fifteen test runs without a skipped run of the "
                        + "tracepoint program to explain it; the cause is not known.")
                .fromFirstSight()
                .reads(f(FAST_RETRAN));
        object("tcpEStatsStackSubsequentTimeouts", STACK, 28).syntax(ZERO_BASED_COUNTER32).source(KERNEL_FIELD)
                .needs(KernelFeature.TOTAL_RTO)
                .group("tcpEStatsStackOptionalGroup")
                .linux("tp->total_rto - tp->total_rto_recoveries: timeouts with backoff above 1.")
                .reads((r, c) -> s(r).get(TOTAL_RTO) - s(r).get(TOTAL_RTO_RECOVERIES));
        object("tcpEStatsStackCurTimeoutCount", STACK, 29).syntax(GAUGE32).source(KERNEL_FIELD)
                .group("tcpEStatsStackOptionalGroup")
                .linux("icsk_retransmits: consecutive timeouts without progress.")
                .reads(f(RETRANSMITS));
        object("tcpEStatsStackAbruptTimeouts", STACK, 30).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsStackOptionalGroup")
                .linux("Timeouts (sockops RTO_CB) while the congestion state was Open: no dup ACK or other sign came "
                        + "first.")
                .deviation("Needs the RTO callback, enabled when the agent sees the handshake.").fromFirstSight()
                .reads(f(ABRUPT_TIMEOUTS));
        object("tcpEStatsStackSACKsRcvd", STACK, 31).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsStackOptionalGroup")
                .linux("SACK options received (cgroup_skb ingress parses the TCP options).").fromFirstSight()
                .reads(f(SACKS_RCVD));
        object("tcpEStatsStackSACKBlocksRcvd", STACK, 32).syntax(ZERO_BASED_COUNTER32).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsStackOptionalGroup")
                .linux("SACK blocks in those options.").fromFirstSight()
                .reads(f(SACK_BLOCKS_RCVD));
        object("tcpEStatsStackSendStall", STACK, 33).syntax(ZERO_BASED_COUNTER32).source(NOT_AVAILABLE)
                .group("tcpEStatsStackOptionalGroup")
                .linux("A stall is the congestion return code of the IP layer inside __tcp_transmit_skb; no "
                        + "tracepoint sees it.")
                .deviation("Not served.")
                .notServed();
        object("tcpEStatsStackDSACKDups", STACK, 34).syntax(ZERO_BASED_COUNTER32).source(KERNEL_FIELD)
                .group("tcpEStatsStackOptionalGroup")
                .linux("tp->dsack_dups: segments the peer reported as duplicates with D-SACK.")
                .reads(f(DSACK_DUPS));
        object("tcpEStatsStackMaxMSS", STACK, 35).syntax(GAUGE32).source(KERNEL_ACCUMULATOR).units("octets")
                .group("tcpEStatsStackOptionalGroup")
                .linux("Largest tp->mss_cache sampled.")
                .deviation("Sampled; the MSS changes rarely.").fromFirstSight()
                .reads(f(MAX_MSS));
        object("tcpEStatsStackMinMSS", STACK, 36).syntax(GAUGE32).source(KERNEL_ACCUMULATOR).units("octets")
                .group("tcpEStatsStackOptionalGroup")
                .linux("Smallest tp->mss_cache sampled.")
                .deviation("Sampled; the MSS changes rarely. Absent until sampled.").fromFirstSight()
                .reads((r, c) -> nonZero(s(r).get(MIN_MSS)));
        object("tcpEStatsStackSndInitial", STACK, 37).syntax(UNSIGNED32).source(DERIVED)
                .group("tcpEStatsStackOptionalGroup")
                .linux("Our initial sequence number: snd_una - bytes_acked (modulo 2^32), one less for a passive "
                        + "open (its SYN-ACK's SYN is acked too).")
                .deviation("Wrong after TCP Fast Open or TCP_REPAIR.")
                .reads((r, c) -> (s(r).get(SND_UNA) - s(r).get(BYTES_ACKED)
                        - (((ConnectionRow) r).activeOpen() ? 0 : 1)) & MAX32);
        object("tcpEStatsStackRecInitial", STACK, 38).syntax(UNSIGNED32).source(DERIVED)
                .group("tcpEStatsStackOptionalGroup")
                .linux("The peer's initial sequence number: rcv_nxt - bytes_received - 1 (modulo 2^32).")
                .deviation("Wrong after TCP Fast Open or TCP_REPAIR.")
                .reads((r, c) -> (s(r).get(RCV_NXT) - s(r).get(BYTES_RECEIVED) - 1) & MAX32);
        object("tcpEStatsStackCurRetxQueue", STACK, 39).syntax(GAUGE32).source(KERNEL_FIELD).units("octets")
                .group("tcpEStatsStackOptionalGroup")
                .linux("snd_nxt - snd_una: octets sent and not yet acknowledged.")
                .reads((r, c) -> (s(r).get(SND_NXT) - s(r).get(SND_UNA)) & MAX32);
        object("tcpEStatsStackMaxRetxQueue", STACK, 40).syntax(GAUGE32).source(KERNEL_ACCUMULATOR).units("octets")
                .group("tcpEStatsStackOptionalGroup")
                .linux("Largest snd_nxt - snd_una sampled.")
                .deviation("Sampled.").fromFirstSight()
                .reads(f(MAX_RETX_QUEUE));
        object("tcpEStatsStackCurReasmQueue", STACK, 41).syntax(GAUGE32).source(KERNEL_FIELD).units("octets")
                .group("tcpEStatsStackOptionalGroup")
                .linux("Octets from rcv_nxt to the end of the out-of-order queue (TCP_SKB_CB(ooo_last_skb)->end_seq).")
                .reads(f(REASM_QUEUE));
        object("tcpEStatsStackMaxReasmQueue", STACK, 42).syntax(GAUGE32).source(KERNEL_ACCUMULATOR).units("octets")
                .group("tcpEStatsStackOptionalGroup")
                .linux("Largest CurReasmQueue sampled when data is queued (sk_data_ready) and before each segment.")
                .deviation("Sampled; before Linux 6.6 (no sk_data_ready tracepoint) only before each segment. RFC "
                        + "4898 gives no UNITS; octets like CurReasmQueue.").fromFirstSight()
                .reads(f(MAX_REASM_QUEUE));

        // tcpEStatsAppTable
        object("tcpEStatsAppSndUna", APP, 1).syntax(COUNTER32).source(KERNEL_FIELD).group("tcpEStatsAppGroup")
                .linux("tp->snd_una.")
                .reads(f(SND_UNA));
        object("tcpEStatsAppSndNxt", APP, 2).syntax(UNSIGNED32).source(KERNEL_FIELD).group("tcpEStatsAppGroup")
                .linux("tp->snd_nxt.")
                .reads(f(SND_NXT));
        object("tcpEStatsAppSndMax", APP, 3).syntax(COUNTER32).source(KERNEL_FIELD).group("tcpEStatsAppGroup")
                .linux("tp->snd_nxt: Linux retransmits from its queue without moving snd_nxt back, so it is the "
                        + "highest sequence number sent.")
                .reads(f(SND_NXT));
        object("tcpEStatsAppThruOctetsAcked", APP, 4).syntax(ZERO_BASED_COUNTER32).source(KERNEL_FIELD).units("octets")
                .group("tcpEStatsAppGroup")
                .linux("tp->bytes_acked: octets acknowledged (advances of SND.UNA).")
                .reads(f(BYTES_ACKED));
        object("tcpEStatsAppHCThruOctetsAcked", APP, 5).syntax(ZERO_BASED_COUNTER64).source(KERNEL_FIELD)
                .units("octets").group("tcpEStatsAppHCGroup")
                .linux("tp->bytes_acked.")
                .reads(f(BYTES_ACKED));
        object("tcpEStatsAppRcvNxt", APP, 6).syntax(COUNTER32).source(KERNEL_FIELD).group("tcpEStatsAppGroup")
                .linux("tp->rcv_nxt.")
                .reads(f(RCV_NXT));
        object("tcpEStatsAppThruOctetsReceived", APP, 7).syntax(ZERO_BASED_COUNTER32).source(KERNEL_FIELD)
                .units("octets").group("tcpEStatsAppGroup")
                .linux("tp->bytes_received: octets received in order (advances of RCV.NXT).")
                .reads(f(BYTES_RECEIVED));
        object("tcpEStatsAppHCThruOctetsReceived", APP, 8).syntax(ZERO_BASED_COUNTER64).source(KERNEL_FIELD)
                .units("octets").group("tcpEStatsAppHCGroup")
                .linux("tp->bytes_received.")
                .reads(f(BYTES_RECEIVED));
        object("tcpEStatsAppCurAppWQueue", APP, 11).syntax(GAUGE32).source(KERNEL_FIELD).units("octets")
                .group("tcpEStatsAppOptionalGroup")
                .linux("write_seq - snd_nxt: octets the application wrote that TCP has not sent yet.")
                .reads((r, c) -> (s(r).get(WRITE_SEQ) - s(r).get(SND_NXT)) & MAX32);
        object("tcpEStatsAppMaxAppWQueue", APP, 12).syntax(GAUGE32).source(KERNEL_ACCUMULATOR)
                .needs(KernelFeature.SOCK_SEND_LENGTH).units("octets")
                .group("tcpEStatsAppOptionalGroup")
                .linux("Largest CurAppWQueue sampled at the end of each sendmsg() (sock_send_length tracepoint).")
                .deviation("Sampled.").fromFirstSight()
                .reads(f(MAX_APP_WQUEUE));
        object("tcpEStatsAppCurAppRQueue", APP, 13).syntax(GAUGE32).source(KERNEL_FIELD).units("octets")
                .group("tcpEStatsAppOptionalGroup")
                .linux("rcv_nxt - copied_seq: octets received and not yet read by the application.")
                .reads((r, c) -> (s(r).get(RCV_NXT) - s(r).get(COPIED_SEQ)) & MAX32);
        object("tcpEStatsAppMaxAppRQueue", APP, 14).syntax(GAUGE32).source(KERNEL_ACCUMULATOR).units("octets")
                .group("tcpEStatsAppOptionalGroup")
                .linux("Largest CurAppRQueue sampled when data is queued (sk_data_ready tracepoint) and before each "
                        + "segment.")
                .deviation("Sampled; before Linux 6.6 (no sk_data_ready tracepoint) only before each "
                        + "" + "segment."+ OLDER)
                .reads(f(MAX_APP_RQUEUE));

        // tcpEStatsTuneTable: SET applies the limits to the live connection (snmp.TuneTable)
        object("tcpEStatsTuneLimCwnd", TUNE, 1).syntax(UNSIGNED32).writable().source(KERNEL_FIELD).units("octets")
                .group("tcpEStatsTuneOptionalGroup")
                .linux("tp->snd_cwnd_clamp times the MSS. A SET applies value / MSS segments with "
                        + "bpf_setsockopt(TCP_BPF_SNDCWND_CLAMP) from an iter/tcp program.")
                .deviation("Less than one MSS is wrongValue. Linux also sets ssthresh to the new limit, and brings a "
                        + "larger cwnd down to it at the next ACK of a cwnd-limited transfer or the next congestion "
                        + "event.")
                .reads(f(CWND_CLAMP_OCTETS));
        object("tcpEStatsTuneLimSsthresh", TUNE, 2).syntax(UNSIGNED32).maxAccess(READ_WRITE).source(NOT_AVAILABLE)
                .units("octets").group("tcpEStatsTuneOptionalGroup")
                .linux("Linux 6.18 has no limited slow start (RFC 3742) and no ssthresh limit to read or set.")
                .deviation("Not served; a SET is noCreation.")
                .notServed();
        object("tcpEStatsTuneLimRwin", TUNE, 3).syntax(UNSIGNED32).writable().source(KERNEL_FIELD).units("octets")
                .group("tcpEStatsTuneOptionalGroup")
                .linux("tp->window_clamp: the largest window we will advertise. A SET applies "
                        + "bpf_setsockopt(TCP_WINDOW_CLAMP), after locking the receive buffer at its current size "
                        + "(SO_RCVBUF) so that buffer autotuning does not lift the limit again; an offered window is "
                        + "never taken back, so the advertised window falls to the limit as the peer's data arrives.")
                .deviation("0 or above 2^31-1 is wrongValue. Linux raises a very small limit to half its minimum "
                        + "buffer; GET shows the limit in force.")
                .reads(f(WINDOW_CLAMP));
        object("tcpEStatsTuneLimMSS", TUNE, 4).syntax(UNSIGNED32).writable().source(KERNEL_FIELD).units("octets")
                .group("tcpEStatsTuneOptionalGroup")
                .linux("rx_opt.user_mss (TCP_MAXSEG) if set, else rx_opt.mss_clamp.")
                .deviation("A SET is inconsistentValue: Linux fixes the MSS at the handshake and cannot change it on "
                        + "an open connection.")
                .reads((r, c) -> s(r).get(USER_MSS) != 0 ? s(r).get(USER_MSS) : s(r).get(MSS_CLAMP));

        // scalars
        for (Control control : Control.values()) {
            MibTable table = Arrays.stream(MibTable.values()).filter(t -> t.control() == control).findFirst()
                    .orElse(null);
            object(control.mibName(), CONTROL, control.mibColumn()).syntax(INTEGER, "TruthValue").writable()
                    .source(AGENT).group(table == null ? "tcpEStatsNotificationsCtlGroup"
                            : table == TUNE ? "tcpEStatsTuneOptionalGroup" : table.tableName().replace("Table", "Group"))
                    .linux(table == null
                            ? "Whether establish and close notifications are sent; set by the directive of the same "
                            + "name (default " + Control.DEFAULT + ") and by SNMP SET."
                            : "Whether " + table.tableName() + " has rows; set by the directive of the same name "
                            + "(default " + Control.DEFAULT + ") and by SNMP SET. While false the kernel skips the "
                            + "per-segment work only this table needs.")
                    .scalar((controls, snapshot, c) -> truth(controls.on(control)),
                            (controls, value) -> controls.set(control, value == 1));
        }
        object("tcpEStatsConnTableLatency", CONTROL, 6).syntax(UNSIGNED32).writable().source(AGENT).units("seconds")
                .group("tcpEStatsConnectIdGroup")
                .linux("Seconds a closed connection's rows stay visible with their final values (sent by the kernel "
                        + "when the connection closes); set by the directive of the same name (default 0) and by "
                        + "SNMP SET. A change applies to connections that close afterwards.")
                .scalar((controls, snapshot, c) -> controls.connTableLatencySeconds(),
                        (controls, value) -> controls.setConnTableLatencySeconds(value));
        object("tcpEStatsListenerTableLastChange", SCALAR, 3).syntax(TIMESTAMP).source(KERNEL_ACCUMULATOR)
                .group("tcpEStatsListenerGroup")
                .linux("sysUpTime when a socket was last seen entering or leaving LISTEN (the sockops program's "
                        + "listen and state callbacks; for listeners older than the agent, the inet_sock_set_state "
                        + "tracepoint while it is attached).")
                .deviation("0 when no change was seen since the agent started.")
                .scalar((controls, snapshot, c) -> {
                    long changed = snapshot.get().listenerChangedNanos();
                    return changed == 0 ? 0 : c.timeStamp(changed);
                }, null);
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

    /** Starts the definition of {@code name}, column (or scalar arc) {@code column} of {@code table}. */
    private static Definition object(String name, MibTable table, int column) {
        return new Definition(name, table, column);
    }

    /**
     * One object's definition, in the order of its row in docs/variables.md: SYNTAX, access,
     * source, units, group, what Linux gives, how that departs from RFC 4898, and how the
     * agent reads it (which registers it).
     */
    private static final class Definition {
        private final String name;
        private final MibTable table;
        private final int column;
        private SmiType type;
        private String syntax;
        private Access access = READ_ONLY;
        private boolean writable;
        private Source source;
        private KernelFeature needs;
        private String units = "";
        private String group = "";
        private String linux;
        private String deviation = "";

        private Definition(String name, MibTable table, int column) {
            this.name = name;
            this.table = table;
            this.column = column;
        }

        /** The SMI type, with the SYNTAX text of RFC 4898's module for types that have one. */
        Definition syntax(SmiType type) {
            return syntax(type, switch (type) {
                case COUNTER32 -> "Counter32";
                case ZERO_BASED_COUNTER32 -> "ZeroBasedCounter32";
                case COUNTER64 -> "Counter64";
                case ZERO_BASED_COUNTER64 -> "ZeroBasedCounter64";
                case GAUGE32 -> "Gauge32";
                case UNSIGNED32 -> "Unsigned32";
                case TIMESTAMP -> "TimeStamp";
                case DATE_AND_TIME -> "DateAndTime";
                case INTEGER, OCTET -> throw new IllegalArgumentException(name + ": give the SYNTAX text");
            });
        }

        Definition syntax(SmiType type, String syntax) {
            this.type = type;
            this.syntax = syntax;
            return this;
        }

        /** MAX-ACCESS read-write, and this agent accepts SET. */
        Definition writable() {
            access = READ_WRITE;
            writable = true;
            return this;
        }

        /** The MIB's MAX-ACCESS where this agent implements less (no SET). */
        Definition maxAccess(Access access) {
            this.access = access;
            return this;
        }

        Definition source(Source source) {
            this.source = source;
            return this;
        }

        /** Served only on kernels with {@code feature}. */
        Definition needs(KernelFeature feature) {
            needs = feature;
            return this;
        }

        Definition units(String units) {
            this.units = units;
            return this;
        }

        Definition group(String group) {
            this.group = group;
            return this;
        }

        Definition linux(String linux) {
            this.linux = linux;
            return this;
        }

        Definition deviation(String deviation) {
            this.deviation = deviation;
            return this;
        }

        /** An accumulator that starts at the agent's first sight of a connection older than the agent. */
        Definition fromFirstSight() {
            deviation = (deviation + OLDER).strip();
            return this;
        }

        /** Registers a table column read by {@code value}. */
        void reads(RowValue value) {
            register(value, null);
        }

        /** Registers a scalar read by {@code read} and, unless it is null, set by {@code write}. */
        void scalar(ScalarValue.Read read, ScalarValue.Write write) {
            register(null, new ScalarValue(read, write));
        }

        /** Registers an object Linux cannot provide: documented, not served. */
        void notServed() {
            register(null, null);
        }

        private void register(RowValue value, ScalarValue scalar) {
            ALL.add(new MibVariable(name, table, column, type, syntax, access, writable, units, source, group, linux,
                    deviation, value, scalar, needs));
        }
    }
}
