package tcpestats.notify;

import org.snmp4j.smi.OID;
import tcpestats.config.MonitorRule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one monitor rule across samples, per row, as RFC 2981's trigger test: each
 * row alarms and clears on its own, a row missing from a sample is forgotten without a
 * notification. Samples are raw values; counters are 64-bit here, so a delta never sees
 * a Counter32 wrap.
 */
final class Trigger {
    enum Kind { RISING, FALLING, FIRED }

    record Event(Kind kind, OID instance, long value) {
    }

    private static final class RowState {
        boolean hasPrevious;
        long previous;
        boolean evaluated;
        /** Boolean: the comparison held at the last sample. Threshold: the last event was rising. */
        boolean high;
    }

    private final MonitorRule rule;
    private Map<OID, RowState> rows = new HashMap<>();

    Trigger(MonitorRule rule) {
        this.rule = rule;
    }

    /** Takes one sample of every watched row (instance to value) and returns what fires, in sample order. */
    List<Event> sample(Map<OID, Long> values) {
        Map<OID, RowState> next = new HashMap<>(values.size() * 2);
        List<Event> events = new ArrayList<>();
        for (Map.Entry<OID, Long> e : values.entrySet()) {
            RowState state = rows.get(e.getKey());
            if (state == null) {
                state = new RowState();
            }
            next.put(e.getKey(), state);
            long sample = e.getValue();
            if (rule.delta()) {
                long previous = state.previous;
                boolean baseline = !state.hasPrevious || sample < previous;
                state.previous = sample;
                state.hasPrevious = true;
                if (baseline) {
                    // the first sample of a row, or a counter that went back (a new connection in
                    // the row): no delta to compare yet
                    continue;
                }
                sample -= previous;
            }
            Kind fired = evaluate(state, sample);
            if (fired != null) {
                events.add(new Event(fired, e.getKey(), sample));
            }
        }
        rows = next;
        return events;
    }

    private Kind evaluate(RowState state, long sample) {
        boolean first = !state.evaluated;
        state.evaluated = true;
        return switch (rule.test()) {
            case MonitorRule.Boolean b -> {
                boolean holds = b.comparison().holds(sample, b.value());
                boolean wasTrue = state.high;
                state.high = holds;
                yield holds && (first ? rule.startup() : !wasTrue) ? Kind.FIRED : null;
            }
            case MonitorRule.Threshold t -> {
                if (first) {
                    // a row that starts below MAX counts as fallen: a healthy new connection is not news
                    state.high = sample >= t.rising();
                    yield state.high && rule.startup() ? Kind.RISING : null;
                }
                if (!state.high && sample >= t.rising()) {
                    state.high = true;
                    yield Kind.RISING;
                }
                if (state.high && sample <= t.falling()) {
                    state.high = false;
                    yield Kind.FALLING;
                }
                yield null;
            }
        };
    }
}
