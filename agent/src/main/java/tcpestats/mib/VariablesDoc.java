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

    /** The test (class#method, in agent/src/test) that makes the kernel produce each value. */
    static final Map<String, String> PROVEN_BY = new LinkedHashMap<>();

    static {
        String loss = BEHAVIOUR + "lossOnTheDataPathMovesRetransmissionCongestionAndSackCounters";
        String handshake = BEHAVIOUR + "theAcceptingEndHasItsHandshakeRttAsSsShowsIt";
        String lossIn = BEHAVIOUR + "lossTowardsUsMovesDupAcksSentAndTheReassemblyQueue";
        String ackLoss = BEHAVIOUR + "lostAcksMakeTheSenderRepeatDataThatWeDropAsSoftErrors";
        String reorder = BEHAVIOUR + "reorderingMovesNonRecoveryEpisodesAndUndoCounters";
        String rtoUndo = BEHAVIOUR + "lostAcksMakeATimeoutThatDsackUndoes";
        String hole = BEHAVIOUR + "blackholedPeerMovesTimeoutCounters";
        String ecn = BEHAVIOUR + "congestionMarksMoveEcnCounters";
        String mss = BEHAVIOUR + "clampedMssShowsInTheMssObjects";
        String slow = BEHAVIOUR + "slowReaderMovesZeroWindowAndSenderLimitCounters";
        String listen = BEHAVIOUR + "listenerCountsHandshakesBacklogAndDrops";
        String tcpInfo = COLLECTOR + "ipv4ConnectionMatchesTcpInfo";
        String ss = WALK + "everyValueSsAlsoReportsIsTheSameOverSnmp";
        String walk = WALK + "eachTableWalksWithEveryServedColumnUnderLoss";
        String[][] rows = {
                {"tcpConnectionState", ss}, {"tcpConnectionProcess", "AgentEndToEndIT#walkShowsTheConnectionWithItsByteCount"},
                {"tcpListenerProcess", walk},
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
                {"tcpEStatsPerfSegsRetrans", loss}, {"tcpEStatsPerfOctetsRetrans", loss},
                {"tcpEStatsPerfSegsIn", tcpInfo}, {"tcpEStatsPerfDataSegsIn", tcpInfo},
                {"tcpEStatsPerfDataOctetsIn", ackLoss}, {"tcpEStatsPerfHCDataOctetsIn", ackLoss},
                {"tcpEStatsPerfElapsedSecs", slow}, {"tcpEStatsPerfElapsedMicroSecs", ss},
                {"tcpEStatsPerfStartTimeStamp", walk}, {"tcpEStatsPerfCurMSS", mss}, {"tcpEStatsPerfPipeSize", walk},
                {"tcpEStatsPerfMaxPipeSize", loss}, {"tcpEStatsPerfSmoothedRTT", ss}, {"tcpEStatsPerfCurRTO", ss},
                {"tcpEStatsPerfCongSignals", loss}, {"tcpEStatsPerfCurCwnd", ss}, {"tcpEStatsPerfCurSsthresh", ss},
                {"tcpEStatsPerfTimeouts", hole}, {"tcpEStatsPerfCurRwinSent", slow},
                {"tcpEStatsPerfMaxRwinSent", loss}, {"tcpEStatsPerfZeroRwinSent", slow},
                {"tcpEStatsPerfCurRwinRcvd", ss}, {"tcpEStatsPerfMaxRwinRcvd", walk},
                {"tcpEStatsPerfZeroRwinRcvd", slow}, {"tcpEStatsPerfSndLimTimeRwin", slow},
                {"tcpEStatsPerfSndLimTimeCwnd", loss}, {"tcpEStatsPerfSndLimTimeSnd", walk},
                {"tcpEStatsPathRetranThresh", reorder}, {"tcpEStatsPathNonRecovDAEpisodes", reorder},
                {"tcpEStatsPathSumOctetsReordered", reorder}, {"tcpEStatsPathNonRecovDA", reorder},
                {"tcpEStatsPathSampleRTT", handshake}, {"tcpEStatsPathRTTVar", ss}, {"tcpEStatsPathMaxRTT", loss},
                {"tcpEStatsPathMinRTT", handshake}, {"tcpEStatsPathSumRTT", loss}, {"tcpEStatsPathHCSumRTT", loss},
                {"tcpEStatsPathCountRTT", handshake}, {"tcpEStatsPathMaxRTO", hole}, {"tcpEStatsPathMinRTO", loss},
                {"tcpEStatsPathIpTtl", lossIn}, {"tcpEStatsPathIpTosIn", lossIn}, {"tcpEStatsPathIpTosOut", walk},
                {"tcpEStatsPathPreCongSumCwnd", loss}, {"tcpEStatsPathPreCongSumRTT", loss},
                {"tcpEStatsPathPostCongSumRTT", loss}, {"tcpEStatsPathPostCongCountRTT", loss},
                {"tcpEStatsPathECNsignals", ecn}, {"tcpEStatsPathDupAckEpisodes", lossIn},
                {"tcpEStatsPathRcvRTT", ss}, {"tcpEStatsPathDupAcksOut", lossIn}, {"tcpEStatsPathCERcvd", ecn},
                {"tcpEStatsPathECESent", ecn},
                {"tcpEStatsStackActiveOpen", tcpInfo}, {"tcpEStatsStackMSSSent", mss}, {"tcpEStatsStackMSSRcvd", mss},
                {"tcpEStatsStackWinScaleSent", ss}, {"tcpEStatsStackWinScaleRcvd", ss},
                {"tcpEStatsStackTimeStamps", ss}, {"tcpEStatsStackECN", ecn}, {"tcpEStatsStackWillSendSACK", ss},
                {"tcpEStatsStackWillUseSACK", ss}, {"tcpEStatsStackState", ss}, {"tcpEStatsStackNagle", walk},
                {"tcpEStatsStackMaxSsCwnd", loss}, {"tcpEStatsStackMaxCaCwnd", loss},
                {"tcpEStatsStackMaxSsthresh", loss}, {"tcpEStatsStackMinSsthresh", loss},
                {"tcpEStatsStackInRecovery", walk}, {"tcpEStatsStackDupAcksIn", loss},
                {"tcpEStatsStackSpuriousFrDetected", reorder}, {"tcpEStatsStackSpuriousRtoDetected", rtoUndo},
                {"tcpEStatsStackSoftErrors", ackLoss}, {"tcpEStatsStackSoftErrorReason", ackLoss},
                {"tcpEStatsStackSlowStart", loss}, {"tcpEStatsStackCongAvoid", loss},
                {"tcpEStatsStackCongOverCount", rtoUndo}, {"tcpEStatsStackFastRetran", loss},
                {"tcpEStatsStackSubsequentTimeouts", hole}, {"tcpEStatsStackCurTimeoutCount", hole},
                {"tcpEStatsStackAbruptTimeouts", hole}, {"tcpEStatsStackSACKsRcvd", loss},
                {"tcpEStatsStackSACKBlocksRcvd", loss}, {"tcpEStatsStackDSACKDups", reorder},
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

    private VariablesDoc() {
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

                The Linux column is the oldest kernel that provides the object. The agent runs on %s and
                newer; on an older kernel than an object needs, the object is not served (its column is
                absent from walks, a GET answers noSuchObject) and `bin/estats-agent check` names it with
                what it needs.

                | object | table | source | units | Linux | test | Linux source and deviations |
                |---|---|---|---|---|---|---|
                """.formatted(tcpestats.collect.KernelFeature.MINIMUM_KERNEL));
        for (MibVariable v : Registry.all()) {
            String text = v.linux() + (v.deviation().isEmpty() ? "" : " *" + v.deviation() + "*");
            out.append("| ").append(v.name()).append(" | ").append(v.table().tableName()).append(" | ")
                    .append(v.source().label()).append(" | ").append(v.units().isEmpty() ? "-" : v.units())
                    .append(" | ").append(v.served() ? v.oldestKernel() : "-")
                    .append(" | ").append(v.served() ? "`" + PROVEN_BY.getOrDefault(v.name(), "") + "`" : "-")
                    .append(" | ").append(text.replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }
}
