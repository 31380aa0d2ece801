package tcpestats.config;

import org.snmp4j.smi.OID;
import tcpestats.mib.MibVariable;

import java.util.List;

/**
 * One net-snmp {@code monitor} directive: a DISMAN-EVENT-MIB (RFC 2981) trigger on a
 * column of the served tables.
 *
 * @param name             the trigger's name, sent as mteHotTrigger
 * @param variable         the watched column
 * @param instance         the watched row's index, or an empty OID for every row
 * @param frequencySeconds seconds between samples (-r; net-snmp's default is 600)
 * @param delta            compare the change since the previous sample instead of the value (-D)
 * @param startup          a row whose first sample already meets the condition fires (-s, the
 *                         default; -S turns it off)
 * @param test             the condition
 * @param extras           columns added as varbinds for the firing row (-o)
 */
public record MonitorRule(String name, MibVariable variable, OID instance, int frequencySeconds, boolean delta,
                          boolean startup, Test test, List<MibVariable> extras) {
    public static final int DEFAULT_FREQUENCY_SECONDS = 600;

    public MonitorRule {
        extras = List.copyOf(extras);
    }

    public boolean wildcard() {
        return instance.size() == 0;
    }

    /** The condition of a trigger. */
    public sealed interface Test permits Boolean, Threshold {
    }

    /** {@code OID OP VALUE}: mteTriggerFired when the comparison becomes true. */
    public record Boolean(Comparison comparison, long value) implements Test {
    }

    /**
     * {@code OID MIN MAX}: mteTriggerRising when the value reaches MAX, mteTriggerFalling when
     * it then drops to MIN; nothing in between (hysteresis).
     */
    public record Threshold(long falling, long rising) implements Test {
    }

    /** RFC 2981 mteTriggerBooleanComparison, with net-snmp's operators. */
    public enum Comparison {
        UNEQUAL("!="), EQUAL("=="), LESS("<"), LESS_OR_EQUAL("<="), GREATER(">"), GREATER_OR_EQUAL(">=");

        public final String operator;

        Comparison(String operator) {
            this.operator = operator;
        }

        public boolean holds(long sample, long value) {
            return switch (this) {
                case UNEQUAL -> sample != value;
                case EQUAL -> sample == value;
                case LESS -> sample < value;
                case LESS_OR_EQUAL -> sample <= value;
                case GREATER -> sample > value;
                case GREATER_OR_EQUAL -> sample >= value;
            };
        }

        static Comparison of(String operator) {
            for (Comparison c : values()) {
                if (c.operator.equals(operator)) {
                    return c;
                }
            }
            return null;
        }
    }
}
