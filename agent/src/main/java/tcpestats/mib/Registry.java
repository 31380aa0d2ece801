package tcpestats.mib;

import tcpestats.collect.SocketRecord;
import tcpestats.store.ConnectionRow;

import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

import static tcpestats.mib.Access.READ_ONLY;
import static tcpestats.mib.MibTable.CONNECT_ID;
import static tcpestats.mib.MibTable.PERF;
import static tcpestats.mib.MibTable.TCP_CONNECTION;
import static tcpestats.mib.SmiType.GAUGE32;
import static tcpestats.mib.SmiType.INTEGER;
import static tcpestats.mib.SmiType.UNSIGNED32;
import static tcpestats.mib.SmiType.ZERO_BASED_COUNTER32;
import static tcpestats.mib.SmiType.ZERO_BASED_COUNTER64;
import static tcpestats.mib.Source.DERIVED;
import static tcpestats.mib.Source.KERNEL_ACCUMULATOR;
import static tcpestats.mib.Source.KERNEL_FIELD;

/**
 * The one registry of served variables. Every SNMP table is built from it; nothing
 * else lists columns. Units and semantics follow RFC 4898 (octets, milliseconds);
 * docs/variables.md says where each value comes from.
 */
public final class Registry {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long MAX32 = 0xFFFF_FFFFL;

    private static final List<MibVariable> ALL = List.of(
            v("tcpConnectionState", TCP_CONNECTION, 7, INTEGER, "", KERNEL_FIELD,
                    r -> r.socket().state().tcpMibValue()),
            v("tcpConnectionProcess", TCP_CONNECTION, 8, UNSIGNED32, "", DERIVED, ConnectionRow::pid),

            v("tcpEStatsConnectIndex", CONNECT_ID, 1, UNSIGNED32, "", DERIVED, ConnectionRow::connectIndex),

            v("tcpEStatsPerfSegsOut", PERF, 1, ZERO_BASED_COUNTER32, "", KERNEL_FIELD, s(SocketRecord::segsOut)),
            v("tcpEStatsPerfDataSegsOut", PERF, 2, ZERO_BASED_COUNTER32, "", KERNEL_FIELD, s(SocketRecord::dataSegsOut)),
            v("tcpEStatsPerfDataOctetsOut", PERF, 3, ZERO_BASED_COUNTER32, "octets", KERNEL_FIELD, s(SocketRecord::bytesSent)),
            v("tcpEStatsPerfHCDataOctetsOut", PERF, 4, ZERO_BASED_COUNTER64, "octets", KERNEL_FIELD, s(SocketRecord::bytesSent)),
            v("tcpEStatsPerfSegsRetrans", PERF, 5, ZERO_BASED_COUNTER32, "", KERNEL_FIELD, s(SocketRecord::totalRetrans)),
            v("tcpEStatsPerfOctetsRetrans", PERF, 6, ZERO_BASED_COUNTER32, "octets", KERNEL_FIELD, s(SocketRecord::bytesRetrans)),
            v("tcpEStatsPerfSegsIn", PERF, 7, ZERO_BASED_COUNTER32, "", KERNEL_FIELD, s(SocketRecord::segsIn)),
            v("tcpEStatsPerfDataSegsIn", PERF, 8, ZERO_BASED_COUNTER32, "", KERNEL_FIELD, s(SocketRecord::dataSegsIn)),
            v("tcpEStatsPerfDataOctetsIn", PERF, 9, ZERO_BASED_COUNTER32, "octets", KERNEL_ACCUMULATOR,
                    s(SocketRecord::dataOctetsIn)),
            v("tcpEStatsPerfHCDataOctetsIn", PERF, 10, ZERO_BASED_COUNTER64, "octets", KERNEL_ACCUMULATOR,
                    s(SocketRecord::dataOctetsIn)),
            v("tcpEStatsPerfElapsedSecs", PERF, 11, ZERO_BASED_COUNTER32, "seconds", KERNEL_ACCUMULATOR,
                    s(r -> elapsedNanos(r) / NANOS_PER_SECOND)),
            v("tcpEStatsPerfElapsedMicroSecs", PERF, 12, ZERO_BASED_COUNTER32, "microseconds", KERNEL_ACCUMULATOR,
                    s(r -> elapsedNanos(r) % NANOS_PER_SECOND / 1000)),
            v("tcpEStatsPerfCurMSS", PERF, 14, GAUGE32, "octets", KERNEL_FIELD, s(SocketRecord::mssCache)),
            v("tcpEStatsPerfSmoothedRTT", PERF, 17, GAUGE32, "milliseconds", KERNEL_FIELD,
                    s(r -> r.srttUs() / 1000)),
            v("tcpEStatsPerfCurRTO", PERF, 18, GAUGE32, "milliseconds", KERNEL_FIELD, s(SocketRecord::rtoMs)),
            v("tcpEStatsPerfCurCwnd", PERF, 20, GAUGE32, "octets", KERNEL_FIELD,
                    s(r -> r.sndCwnd() * r.mssCache())),
            v("tcpEStatsPerfCurSsthresh", PERF, 21, GAUGE32, "octets", KERNEL_FIELD, s(Registry::ssthreshOctets)));

    private Registry() {
    }

    /** Every variable, in table then column order. */
    public static List<MibVariable> all() {
        return ALL;
    }

    /** The columns of {@code table}, ascending. */
    public static List<MibVariable> columns(MibTable table) {
        return ALL.stream().filter(v -> v.table() == table)
                .sorted(Comparator.comparingInt(MibVariable::column)).toList();
    }

    /**
     * Time from the connection's start to its most recent segment (RFC 4898
     * ElapsedSecs/MicroSecs). For a connection older than the agent the start is the
     * agent's first sight of it, and the elapsed time is 0 until it next sends or receives.
     */
    static long elapsedNanos(SocketRecord r) {
        long last = r.lastEventUs() * 1000;
        return Math.max(0, last - r.startNs());
    }

    /** snd_ssthresh in octets; "infinite" (no loss yet) reads as the largest Gauge32. */
    static long ssthreshOctets(SocketRecord r) {
        if (r.sndSsthresh() >= SocketRecord.INFINITE_SSTHRESH) {
            return MAX32;
        }
        return Math.min(MAX32, r.sndSsthresh() * r.mssCache());
    }

    private static MibVariable v(String name, MibTable table, int column, SmiType type, String units, Source source,
                                 ToLongFunction<ConnectionRow> value) {
        return new MibVariable(name, table, column, type, READ_ONLY, units, source, value);
    }

    private static ToLongFunction<ConnectionRow> s(ToLongFunction<SocketRecord> f) {
        return row -> f.applyAsLong(row.socket());
    }
}
