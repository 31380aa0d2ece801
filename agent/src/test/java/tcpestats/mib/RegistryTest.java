package tcpestats.mib;

import org.junit.jupiter.api.Test;
import tcpestats.collect.Endpoint;
import tcpestats.collect.Field;
import tcpestats.collect.SocketRecord;
import tcpestats.store.ConnectionRow;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryTest {
    private static final ValueContext CONTEXT = new ValueContext(0, 0, new HostTcpSettings(1, 1, 2));

    static SocketRecord socket(long startNs, long lastEventUs, long mss) {
        Endpoint e = new Endpoint(new byte[]{127, 0, 0, 1}, 1);
        return SocketRecord.established(1, e, e).with(Field.START_NS, startNs).with(Field.LAST_EVENT_US, lastEventUs)
                .with(Field.BYTES_SENT, (5L << 32) + 3).with(Field.MSS_CACHE, mss).with(Field.SRTT_US, 12_345);
    }

    private static long value(String name, SocketRecord s) {
        return Registry.named(name).value().read(new ConnectionRow(s, 7, 99, true), CONTEXT);
    }

    @Test
    void sequenceArithmeticIsModulo2To32() {
        Endpoint e = new Endpoint(new byte[]{127, 0, 0, 1}, 1);
        SocketRecord s = SocketRecord.established(1, e, e).with(Field.SND_UNA, 100).with(Field.BYTES_ACKED, 1000)
                .with(Field.RCV_NXT, 5).with(Field.BYTES_RECEIVED, 10);
        assertEquals(0xFFFF_FFFFL - 899, value("tcpEStatsStackSndInitial", s), "active: snd_una - bytes_acked");
        assertEquals(0xFFFF_FFFFL - 5, value("tcpEStatsStackRecInitial", s), "rcv_nxt - bytes_received - 1");
    }

    @Test
    void valuesAbsentUntilTheKernelSawThem() {
        SocketRecord s = socket(0, 0, 1);
        assertEquals(RowValue.ABSENT, value("tcpEStatsPathSampleRTT", s));
        assertEquals(RowValue.ABSENT, value("tcpEStatsStackSoftErrorReason", s));
        assertEquals(RowValue.ABSENT, value("tcpEStatsPathIpTtl", s));
        assertEquals(2, value("tcpEStatsStackSoftErrorReason", s.with(Field.SOFT_ERROR_REASON, 2)));
    }

    @Test
    void negotiatedOptionsTellSelfFromPeer() {
        SocketRecord s = socket(0, 0, 1);
        assertEquals(3, value("tcpEStatsStackTimeStamps", s), "offered by us, refused by the peer");
        assertEquals(1, value("tcpEStatsStackTimeStamps", s.with(Field.TSTAMP_OK, 1)));
        assertEquals(2, Registry.named("tcpEStatsStackTimeStamps").value().read(
                new ConnectionRow(s, 7, 99, true), new ValueContext(0, 0, new HostTcpSettings(0, 1, 2))));
        assertEquals(2, value("tcpEStatsStackECN", s), "tcp_ecn=2 does not request ECN on active opens");
    }

    @Test
    void unitsAreTheRfcs() {
        SocketRecord s = socket(1_000_000_000L, 3_500_000 + 1_000_000, 1448);
        assertEquals(12, value("tcpEStatsPerfSmoothedRTT", s), "srtt in milliseconds");
        assertEquals(3, value("tcpEStatsPerfElapsedSecs", s));
        assertEquals(500_000, value("tcpEStatsPerfElapsedMicroSecs", s));
    }

    @Test
    void elapsedIsZeroWhenTheFirstSightIsAfterTheLastSegment() {
        assertEquals(0, value("tcpEStatsPerfElapsedSecs", socket(5_000_000_000L, 1_000_000, 1)));
    }

    @Test
    void counterAndHcTwinReadTheSameKernelCounter() {
        SocketRecord s = socket(0, 0, 1);
        assertEquals((5L << 32) + 3, value("tcpEStatsPerfHCDataOctetsOut", s));
        assertEquals(SmiType.ZERO_BASED_COUNTER32, Registry.named("tcpEStatsPerfDataOctetsOut").type());
    }

    @Test
    void columnsAreUniqueAndAscendingPerTable() {
        for (MibTable t : MibTable.values()) {
            if (!t.isTable()) {
                continue;
            }
            List<MibVariable> cols = Registry.columns(t);
            Set<Integer> seen = new HashSet<>();
            for (MibVariable v : cols) {
                assertTrue(seen.add(v.column()), t + " repeats column " + v.column());
            }
            assertTrue(!cols.isEmpty(), t + " has no columns");
        }
        Map<String, Long> names = Registry.all().stream()
                .collect(Collectors.groupingBy(MibVariable::name, Collectors.counting()));
        names.forEach((n, c) -> assertEquals(1, c, n + " is registered twice"));
    }

    /** Units where our MIB text corrects RFC 4898 (documented in each object's deviation). */
    private static final Map<String, String> CORRECTED_UNITS = Map.of(
            "tcpEStatsPathPostCongSumRTT", "milliseconds",
            "tcpEStatsPathPostCongCountRTT", "",
            "tcpEStatsPathRcvRTT", "milliseconds",
            "tcpEStatsStackMaxReasmQueue", "octets");

    /** OIDs, types, access and units of every object, checked against RFC 4898's module and TCP-MIB. */
    @Test
    void registryAgreesWithTheReferenceMibs() throws Exception {
        MibReference ref = MibReference.load();
        for (MibVariable v : Registry.all()) {
            MibReference.ObjectFacts facts = ref.object(v.name());
            assertEquals(facts.oid(), v.oid().toDottedString(), v.name() + " OID");
            assertEquals(facts.access(), v.access() == Access.READ_ONLY ? "read-only" : "read-write",
                    v.name() + " access");
            assertTrue(!v.writable() || v.access() == Access.READ_WRITE, v.name() + " writable beyond MAX-ACCESS");
            assertTrue(facts.matches(v), v.name() + ": registry " + v.type() + " " + v.syntax() + ", MIB "
                    + facts.textualConvention() + "/" + facts.syntax());
            assertEquals(CORRECTED_UNITS.getOrDefault(v.name(), facts.units()), v.units(), v.name() + " units");
        }
    }

    @Test
    void registryHasEveryObjectOfRfc4898() throws Exception {
        List<String> reference = MibReference.load().estatsObjects();
        assertEquals(140, reference.size(), "133 columns and 7 scalars");
        Set<String> ours = Registry.all().stream().map(MibVariable::name).collect(Collectors.toSet());
        for (String name : reference) {
            assertTrue(ours.contains(name), name + " is missing from the registry");
        }
    }

    @Test
    void everyObjectSaysWhereLinuxGetsIt() {
        for (MibVariable v : Registry.all()) {
            assertTrue(!v.linux().isBlank(), v.name() + " has no Linux source");
            assertEquals(v.table().isTable() && v.served(), v.value() != null, v.name() + " value reader");
            if (!v.served()) {
                assertTrue(!v.deviation().isBlank(), v.name() + " is not served: say why");
            }
        }
    }
}
