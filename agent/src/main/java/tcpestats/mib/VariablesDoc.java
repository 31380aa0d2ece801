package tcpestats.mib;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes docs/variables.md from the registry: one row per object with its source,
 * units, the test that proves it and how it departs from RFC 4898.
 */
public final class VariablesDoc {
    private static final String BEHAVIOUR = "TcpBehaviourTest#";
    private static final String COLLECTOR = "KernelCollectorTest#";
    private static final String WALK = "AllTablesEndToEndIT#";
    private static final String WIRE = "CongestionOnTheWireTest#";

    /** The test (class#method, in agent/src/test) that makes the kernel produce each value. */
    static final Map<String, String> PROVEN_BY = new LinkedHashMap<>();

    static {
        String loss = BEHAVIOUR + "lossOnTheDataPathMovesRetransmissionCongestionAndSackCounters";
        String handshake = BEHAVIOUR + "theAcceptingEndHasItsHandshakeRttAsSsShowsIt";
        String lossIn = BEHAVIOUR + "lossTowardsUsMovesDupAcksSentAndTheReassemblyQueue";
        String ackLoss = BEHAVIOUR + "lostAcksMakeTheSenderRepeatDataThatWeDropAsSoftErrors";
        String reorder = WIRE + "reorderingOnThePathIsUndoneAsTheKernelCountsIt";
        String rtoUndo = WIRE + "lostAcksMakeASpuriousTimeoutThatTheKernelUndoes";
        String hole = WIRE + "aBlackHoleIsOneCongestionSignalAndMaxRtoCoversEveryTimerThatFired";
        String wire = WIRE + "lossOnThePathIsCountedAsTheWireShowsAndAsTheKernelDecided";
        String timeoutInRecovery = WIRE + "aTimeoutDuringFastRecoveryIsNoNewCongestionSignal";
        String hyStart = WIRE + "slowStartEndsWhereHyStartEndedIt";
        String ecn = BEHAVIOUR + "congestionMarksMoveEcnCounters";
        String mss = BEHAVIOUR + "clampedMssShowsInTheMssObjects";
        String slow = BEHAVIOUR + "slowReaderMovesZeroWindowAndSenderLimitCounters";
        String listen = BEHAVIOUR + "listenerCountsHandshakesBacklogAndDrops";
        String tcpInfo = COLLECTOR + "ipv4ConnectionMatchesTcpInfo";
        String ss = WALK + "everyValueSsTheWireOrTheApplicationKnowsIsTheSameOverSnmp";
        String walk = WALK + "eachTableWalksWithEveryServedColumnUnderLoss";
        String[][] rows = {
                {"tcpConnectionState", ss}, {"tcpConnectionProcess", "AgentEndToEndIT#walkShowsTheConnectionWithItsByteCount"},
                {"tcpListenerProcess", ss},
                {"tcpEStatsListenerStartTime", listen}, {"tcpEStatsListenerSynRcvd", listen},
                {"tcpEStatsListenerInitial", listen}, {"tcpEStatsListenerEstablished", listen},
                {"tcpEStatsListenerAccepted", listen}, {"tcpEStatsListenerExceedBacklog", listen},
                {"tcpEStatsListenerHCSynRcvd", listen}, {"tcpEStatsListenerHCInitial", listen},
                {"tcpEStatsListenerHCEstablished", listen}, {"tcpEStatsListenerHCAccepted", listen},
                {"tcpEStatsListenerHCExceedBacklog", listen}, {"tcpEStatsListenerCurConns", listen},
                {"tcpEStatsListenerMaxBacklog", listen}, {"tcpEStatsListenerCurBacklog", listen},
                {"tcpEStatsListenerCurEstabBacklog", listen}, {"tcpEStatsListenerTableLastChange", listen},
                {"tcpEStatsConnectIndex", "AgentEndToEndIT#walkShowsTheConnectionWithItsByteCount"},
                {"tcpEStatsPerfSegsOut", tcpInfo}, {"tcpEStatsPerfDataSegsOut", tcpInfo},
                {"tcpEStatsPerfDataOctetsOut", tcpInfo}, {"tcpEStatsPerfHCDataOctetsOut", tcpInfo},
                {"tcpEStatsPerfSegsRetrans", wire}, {"tcpEStatsPerfOctetsRetrans", wire},
                {"tcpEStatsPerfSegsIn", tcpInfo}, {"tcpEStatsPerfDataSegsIn", tcpInfo},
                {"tcpEStatsPerfDataOctetsIn", ackLoss}, {"tcpEStatsPerfHCDataOctetsIn", ackLoss},
                {"tcpEStatsPerfElapsedSecs", slow}, {"tcpEStatsPerfElapsedMicroSecs", ss},
                {"tcpEStatsPerfStartTimeStamp", ss}, {"tcpEStatsPerfCurMSS", mss}, {"tcpEStatsPerfPipeSize", hole},
                {"tcpEStatsPerfMaxPipeSize", loss}, {"tcpEStatsPerfSmoothedRTT", ss}, {"tcpEStatsPerfCurRTO", ss},
                {"tcpEStatsPerfCongSignals", timeoutInRecovery}, {"tcpEStatsPerfCurCwnd", ss}, {"tcpEStatsPerfCurSsthresh", ss},
                {"tcpEStatsPerfTimeouts", hole}, {"tcpEStatsPerfCurRwinSent", slow},
                {"tcpEStatsPerfMaxRwinSent", loss}, {"tcpEStatsPerfZeroRwinSent", slow},
                {"tcpEStatsPerfCurRwinRcvd", ss}, {"tcpEStatsPerfMaxRwinRcvd", ss},
                {"tcpEStatsPerfZeroRwinRcvd", slow}, {"tcpEStatsPerfSndLimTimeRwin", slow},
                {"tcpEStatsPerfSndLimTimeCwnd", loss}, {"tcpEStatsPerfSndLimTimeSnd", walk},
                {"tcpEStatsPathRetranThresh", reorder}, {"tcpEStatsPathNonRecovDAEpisodes", reorder},
                {"tcpEStatsPathSumOctetsReordered", reorder}, {"tcpEStatsPathNonRecovDA", reorder},
                {"tcpEStatsPathSampleRTT", handshake}, {"tcpEStatsPathRTTVar", ss}, {"tcpEStatsPathMaxRTT", loss},
                {"tcpEStatsPathMinRTT", handshake}, {"tcpEStatsPathSumRTT", loss}, {"tcpEStatsPathHCSumRTT", loss},
                {"tcpEStatsPathCountRTT", handshake}, {"tcpEStatsPathMaxRTO", hole}, {"tcpEStatsPathMinRTO", loss},
                {"tcpEStatsPathIpTtl", lossIn}, {"tcpEStatsPathIpTosIn", lossIn}, {"tcpEStatsPathIpTosOut", ss},
                {"tcpEStatsPathPreCongSumCwnd", loss}, {"tcpEStatsPathPreCongSumRTT", loss},
                {"tcpEStatsPathPostCongSumRTT", loss}, {"tcpEStatsPathPostCongCountRTT", loss},
                {"tcpEStatsPathECNsignals", ecn}, {"tcpEStatsPathDupAckEpisodes", lossIn},
                {"tcpEStatsPathRcvRTT", ss}, {"tcpEStatsPathDupAcksOut", lossIn}, {"tcpEStatsPathCERcvd", ecn},
                {"tcpEStatsPathECESent", ecn},
                {"tcpEStatsStackActiveOpen", tcpInfo}, {"tcpEStatsStackMSSSent", mss}, {"tcpEStatsStackMSSRcvd", mss},
                {"tcpEStatsStackWinScaleSent", ss}, {"tcpEStatsStackWinScaleRcvd", ss},
                {"tcpEStatsStackTimeStamps", ss}, {"tcpEStatsStackECN", ecn}, {"tcpEStatsStackWillSendSACK", ss},
                {"tcpEStatsStackWillUseSACK", ss}, {"tcpEStatsStackState", ss}, {"tcpEStatsStackNagle", ss},
                {"tcpEStatsStackMaxSsCwnd", hyStart}, {"tcpEStatsStackMaxCaCwnd", loss},
                {"tcpEStatsStackMaxSsthresh", loss}, {"tcpEStatsStackMinSsthresh", loss},
                {"tcpEStatsStackInRecovery", ss}, {"tcpEStatsStackDupAcksIn", wire},
                {"tcpEStatsStackSpuriousFrDetected", reorder}, {"tcpEStatsStackSpuriousRtoDetected", rtoUndo},
                {"tcpEStatsStackSoftErrors", ackLoss}, {"tcpEStatsStackSoftErrorReason", ackLoss},
                {"tcpEStatsStackSlowStart", hyStart}, {"tcpEStatsStackCongAvoid", hyStart},
                {"tcpEStatsStackCongOverCount", rtoUndo}, {"tcpEStatsStackFastRetran", wire},
                {"tcpEStatsStackSubsequentTimeouts", hole}, {"tcpEStatsStackCurTimeoutCount", hole},
                {"tcpEStatsStackAbruptTimeouts", hole}, {"tcpEStatsStackSACKsRcvd", wire},
                {"tcpEStatsStackSACKBlocksRcvd", wire}, {"tcpEStatsStackDSACKDups", reorder},
                {"tcpEStatsStackMaxMSS", mss}, {"tcpEStatsStackMinMSS", mss},
                {"tcpEStatsStackSndInitial", ss}, {"tcpEStatsStackRecInitial", ss},
                {"tcpEStatsStackCurRetxQueue", hole}, {"tcpEStatsStackMaxRetxQueue", loss},
                {"tcpEStatsStackCurReasmQueue", walk}, {"tcpEStatsStackMaxReasmQueue", lossIn},
                {"tcpEStatsAppSndUna", ss}, {"tcpEStatsAppSndNxt", ss}, {"tcpEStatsAppSndMax", ss},
                {"tcpEStatsAppThruOctetsAcked", ss}, {"tcpEStatsAppHCThruOctetsAcked", loss},
                {"tcpEStatsAppRcvNxt", ss}, {"tcpEStatsAppThruOctetsReceived", ss},
                {"tcpEStatsAppHCThruOctetsReceived", lossIn}, {"tcpEStatsAppCurAppWQueue", slow},
                {"tcpEStatsAppMaxAppWQueue", slow}, {"tcpEStatsAppCurAppRQueue", slow},
                {"tcpEStatsAppMaxAppRQueue", slow},
                {"tcpEStatsTuneLimCwnd", "TuneEndToEndIT#limCwndCapsTheCongestionWindowOfABulkTransfer"},
                {"tcpEStatsTuneLimRwin", "TuneEndToEndIT#limRwinBoundsTheWindowThePeerSees"},
                {"tcpEStatsTuneLimMSS", mss},
                {"tcpEStatsControlPath", walk}, {"tcpEStatsControlStack", walk}, {"tcpEStatsControlApp", walk},
                {"tcpEStatsControlTune", walk}, {"tcpEStatsControlNotify", walk}, {"tcpEStatsConnTableLatency", walk},
        };
        for (String[] row : rows) {
            PROVEN_BY.put(row[0], row[1]);
        }
    }

    /**
     * For every counter, what one increment is: a segment, an octet (or another unit of time
     * or sequence space), or an event of the kernel's, whatever number of segments it involved.
     */
    static final Map<String, String> COUNTS = new LinkedHashMap<>();

    static {
        String segments = "segments";
        String octets = "octets";
        String[][] rows = {
                {"SynRcvd", "segments (SYNs)"}, {"Initial", "events (request sockets created)"},
                {"Established", "events (handshakes completed)"}, {"Accepted", "events (connections accepted)"},
                {"ExceedBacklog", "segments (dropped by the listener)"},
                {"SegsOut", segments}, {"DataSegsOut", segments}, {"DataOctetsOut", octets},
                {"SegsRetrans", "segments (each retransmission)"}, {"OctetsRetrans", octets},
                {"SegsIn", segments}, {"DataSegsIn", segments}, {"DataOctetsIn", octets},
                {"ElapsedSecs", "seconds"}, {"ElapsedMicroSecs", "microseconds"},
                {"CongSignals", "events (window reductions, however many segments were lost)"},
                {"Timeouts", "events (first timeouts of a recovery)"},
                {"ZeroRwinSent", "segments (that closed the window)"}, {"ZeroRwinRcvd", "segments (that closed the window)"},
                {"SndLimTimeRwin", "milliseconds"}, {"SndLimTimeCwnd", "milliseconds"}, {"SndLimTimeSnd", "milliseconds"},
                {"NonRecovDAEpisodes", "events (dup-ACK episodes)"}, {"SumOctetsReordered", octets},
                {"NonRecovDA", "segments (duplicate ACKs)"}, {"SumRTT", "milliseconds"}, {"CountRTT", "events (RTT samples)"},
                {"PreCongSumCwnd", octets}, {"PreCongSumRTT", "milliseconds"}, {"PostCongSumRTT", "milliseconds"},
                {"PostCongCountRTT", "events (RTT samples)"}, {"ECNsignals", "segments (ACKs with ECE)"},
                {"DupAckEpisodes", "events (runs of duplicate ACKs)"}, {"DupAcksOut", "segments (duplicate ACKs)"},
                {"CERcvd", "segments (marked CE)"}, {"ECESent", "segments (the first of each run with ECE)"},
                {"DupAcksIn", "segments (duplicate ACKs)"},
                {"SpuriousFrDetected", "events (undone recovery episodes, not segments)"},
                {"SpuriousRtoDetected", "events (undone timeout episodes, not segments)"},
                {"SoftErrors", "segments (dropped)"}, {"SlowStart", "events (ACKs that grew cwnd)"},
                {"CongAvoid", "events (ACKs that grew cwnd)"}, {"CongOverCount", "events (undone reductions)"},
                {"FastRetran", "events (entries into fast recovery; their segments count in SegsRetrans)"},
                {"SubsequentTimeouts", "events (timeouts)"}, {"AbruptTimeouts", "events (timeouts)"},
                {"SACKsRcvd", "segments (ACKs with a SACK option)"}, {"SACKBlocksRcvd", "SACK blocks"},
                {"DSACKDups", "segments (reported duplicate by D-SACK)"},
                {"SndUna", "sequence numbers (octets, modulo 2^32)"}, {"SndMax", "sequence numbers (octets, modulo 2^32)"},
                {"RcvNxt", "sequence numbers (octets, modulo 2^32)"}, {"ThruOctetsAcked", octets},
                {"ThruOctetsReceived", octets},
        };
        for (MibVariable v : Registry.all()) {
            for (String[] row : rows) {
                String name = v.name();
                String bare = name.replaceFirst("^tcpEStats(Listener|Perf|Path|Stack|App)(HC)?", "");
                if (isCounter(v) && bare.equals(row[0])) {
                    COUNTS.put(name, row[1]);
                }
            }
        }
    }

    private VariablesDoc() {
    }

    static boolean isCounter(MibVariable v) {
        return switch (v.type()) {
            case COUNTER32, ZERO_BASED_COUNTER32, COUNTER64, ZERO_BASED_COUNTER64 -> true;
            default -> false;
        };
    }

    public static String write() {
        StringBuilder out = new StringBuilder("""
                # Variables

                Every object tcp-estats-agent knows, generated from its registry
                (`tcpestats.mib.Registry`; regenerate with `bin/estats-agent variables > docs/variables.md`).

                Sources: **kernel field** — read from tcp_sock and friends by the `iter/tcp` program when
                a request needs it, exact at any time; **kernel accumulator** — counted per socket in the
                kernel (SK_STORAGE) by tracepoints, `sockops` or `cgroup_skb` programs; for a connection
                older than the agent it covers only the time since the agent first saw it, and Path, Stack
                and App accumulators count only while their table is enabled; **derived** — computed by the
                agent; **agent** — the agent's own setting; **not available** — Linux cannot give it, so
                it is not served (RFC 4898 lets these objects be absent).

                The test column names the test (in `agent/src/test`) that makes the kernel produce the
                value and checks it, against `ss -tin` where ss reports the same quantity.

                The counts column says, for each counter, what one increment is: a **segment** (each
                one as it crosses the hook named, a retransmission again), an **octet**, or an
                **event** of the kernel's (a state change, a timeout, an undo), whatever number of
                segments it involved.

                The Linux column is the oldest kernel that provides the object. The agent runs on %s and
                newer; on an older kernel than an object needs, the object is not served (its column is
                absent from walks, a GET answers noSuchObject) and `bin/estats-agent check` names it with
                what it needs.

                | object | table | source | units | counts | Linux | test | Linux source and deviations |
                |---|---|---|---|---|---|---|---|
                """.formatted(tcpestats.collect.KernelFeature.MINIMUM_KERNEL));
        for (MibVariable v : Registry.all()) {
            String text = v.linux() + (v.deviation().isEmpty() ? "" : " *" + v.deviation() + "*");
            out.append("| ").append(v.name()).append(" | ").append(v.table().tableName()).append(" | ")
                    .append(v.source().label()).append(" | ").append(v.units().isEmpty() ? "-" : v.units())
                    .append(" | ").append(v.served() ? COUNTS.getOrDefault(v.name(), "-") : "-")
                    .append(" | ").append(v.served() ? v.oldestKernel() : "-")
                    .append(" | ").append(v.served() ? "`" + PROVEN_BY.getOrDefault(v.name(), "") + "`" : "-")
                    .append(" | ").append(text.replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }
}
