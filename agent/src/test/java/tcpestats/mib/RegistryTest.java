package tcpestats.mib;

import org.junit.jupiter.api.Test;
import tcpestats.collect.Endpoint;
import tcpestats.collect.SocketRecord;
import tcpestats.collect.TcpState;
import tcpestats.store.ConnectionRow;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryTest {
    static SocketRecord socket(long startNs, long lastEventUs, long cwnd, long ssthresh, long mss) {
        Endpoint e = new Endpoint(new byte[]{127, 0, 0, 1}, 1);
        return new SocketRecord(1, 0, TcpState.ESTABLISHED, e, e, true, 0, startNs, true, lastEventUs,
                (5L << 32) + 3, 0, 0, 0, 0, 0, 0, 0, 0, mss, 12_345, 204, cwnd, ssthresh);
    }

    private static long value(String name, SocketRecord s) {
        MibVariable v = Registry.all().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        return v.value().applyAsLong(new ConnectionRow(s, 7, 99));
    }

    @Test
    void unitsAreTheRfcs() {
        SocketRecord s = socket(1_000_000_000L, 3_500_000 + 1_000_000, 10, 20, 1448);
        assertEquals(14480, value("tcpEStatsPerfCurCwnd", s), "cwnd in octets");
        assertEquals(28960, value("tcpEStatsPerfCurSsthresh", s), "ssthresh in octets");
        assertEquals(12, value("tcpEStatsPerfSmoothedRTT", s), "srtt in milliseconds");
        assertEquals(3, value("tcpEStatsPerfElapsedSecs", s));
        assertEquals(500_000, value("tcpEStatsPerfElapsedMicroSecs", s));
    }

    @Test
    void infiniteSsthreshReadsAsMaximumGauge() {
        assertEquals(0xFFFF_FFFFL, value("tcpEStatsPerfCurSsthresh", socket(0, 0, 10, 0x7fffffff, 1448)));
    }

    @Test
    void elapsedIsZeroWhenTheFirstSightIsAfterTheLastSegment() {
        assertEquals(0, value("tcpEStatsPerfElapsedSecs", socket(5_000_000_000L, 1_000_000, 10, 10, 1)));
    }

    @Test
    void counterAndHcTwinReadTheSameKernelCounter() {
        SocketRecord s = socket(0, 0, 1, 1, 1);
        assertEquals((5L << 32) + 3, value("tcpEStatsPerfHCDataOctetsOut", s));
        MibVariable low = Registry.all().stream().filter(x -> x.name().equals("tcpEStatsPerfDataOctetsOut"))
                .findFirst().orElseThrow();
        assertEquals(SmiType.ZERO_BASED_COUNTER32, low.type());
    }

    @Test
    void columnsAreUniqueAndAscendingPerTable() {
        for (MibTable t : MibTable.values()) {
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

    /** OIDs, types and access of the registered objects, checked against RFC 4898's module and TCP-MIB. */
    @Test
    void registryAgreesWithTheReferenceMibs() throws Exception {
        MibReference ref = MibReference.load();
        for (MibVariable v : Registry.all()) {
            MibReference.ObjectFacts facts = ref.object(v.name());
            assertEquals(facts.oid(), v.oid().toDottedString(), v.name() + " OID");
            // the agent may implement less than MAX-ACCESS (TCP-MIB's compliance lets tcpConnectionState be read-only)
            assertTrue(v.access() == Access.READ_ONLY || facts.access().equals("read-write"), v.name() + " access");
            assertTrue(facts.access().startsWith("read-"), v.name() + " is not readable in the MIB");
            assertTrue(facts.matches(v.type()), v.name() + ": registry type " + v.type() + ", MIB " + facts.syntax());
            assertEquals(facts.units(), v.units(), v.name() + " units");
        }
    }
}
