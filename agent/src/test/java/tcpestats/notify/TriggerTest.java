package tcpestats.notify;

import org.junit.jupiter.api.Test;
import org.snmp4j.smi.OID;
import tcpestats.config.MonitorRule;
import tcpestats.mib.Registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TriggerTest {
    private static final OID ROW_A = new OID("1");
    private static final OID ROW_B = new OID("2");

    private static Trigger trigger(boolean delta, boolean startup, MonitorRule.Test test) {
        return new Trigger(new MonitorRule("t", Registry.named("tcpEStatsPerfSegsRetrans"), new OID(), 1, delta,
                startup, test, List.of()));
    }

    /** Feeds one row's samples and returns what fired, one string per sample ("" when nothing). */
    private static List<String> run(Trigger trigger, long... samples) {
        List<String> out = new ArrayList<>();
        for (long s : samples) {
            List<Trigger.Event> events = trigger.sample(Map.of(ROW_A, s));
            out.add(events.isEmpty() ? "" : events.getFirst().kind() + "=" + events.getFirst().value());
        }
        return out;
    }

    @Test
    void thresholdRisesAtMaxFallsAtMinAndDoesNotFlapInBetween() {
        Trigger t = trigger(false, true, new MonitorRule.Threshold(10, 20));
        assertEquals(List.of("", "", "RISING=20", "", "", "", "", "FALLING=10", "", "", "RISING=25"),
                run(t, 5, 19, 20, 30, 15, 21, 11, 10, 19, 0, 25));
    }

    @Test
    void deltaComparesTheChangePerSampleAndRebaselinesWhenACounterGoesBack() {
        Trigger t = trigger(true, true, new MonitorRule.Threshold(0, 50));
        // cumulative retransmissions: +0, +60, +100, +10, +0; then a new connection in the row
        assertEquals(List.of("", "", "RISING=60", "", "", "FALLING=0", "", ""),
                run(t, 100, 100, 160, 260, 270, 270, 3, 3));
    }

    @Test
    void startupDecidesWhetherARowsFirstSampleFires() {
        assertEquals(List.of("RISING=30", "", "FALLING=0"),
                run(trigger(false, true, new MonitorRule.Threshold(0, 20)), 30, 30, 0));
        assertEquals(List.of("", "", "FALLING=0"),
                run(trigger(false, false, new MonitorRule.Threshold(0, 20)), 30, 30, 0));
        MonitorRule.Boolean above = new MonitorRule.Boolean(MonitorRule.Comparison.GREATER, 5);
        assertEquals(List.of("FIRED=6", "", "", "FIRED=9", ""), run(trigger(false, true, above), 6, 7, 1, 9, 9));
        assertEquals(List.of("", "", "", "FIRED=9", ""), run(trigger(false, false, above), 6, 7, 1, 9, 9));
    }

    @Test
    void rowsAlarmOnTheirOwnAndAVanishedRowIsForgottenSilently() {
        Trigger t = trigger(false, true, new MonitorRule.Threshold(0, 10));
        Map<OID, Long> both = new LinkedHashMap<>();
        both.put(ROW_A, 1L);
        both.put(ROW_B, 50L);
        assertEquals(List.of(new Trigger.Event(Trigger.Kind.RISING, ROW_B, 50)), t.sample(both));
        assertEquals(List.of(), t.sample(Map.of(ROW_A, 1L)), "row B vanished: no falling");
        // a row that comes back is new: its first sample decides again
        assertEquals(List.of(new Trigger.Event(Trigger.Kind.RISING, ROW_B, 50)), t.sample(both));
    }
}
