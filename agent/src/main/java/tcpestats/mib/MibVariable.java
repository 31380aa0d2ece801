package tcpestats.mib;

import org.snmp4j.smi.OID;
import tcpestats.collect.KernelFeature;
import tcpestats.collect.KernelFeatures;

/**
 * One object of the served MIBs: its MIB facts, where Linux gets it, and how its value
 * is read.
 *
 * @param syntax       the SYNTAX clause of the MIB
 * @param access       the MIB's MAX-ACCESS
 * @param writable     whether this agent accepts SET for it (it may implement less than MAX-ACCESS)
 * @param units        the UNITS clause, or ""
 * @param group        the conformance group
 * @param linux        where Linux gets the value, in our words (the MIB DESCRIPTION and the docs)
 * @param deviation    how the value departs from RFC 4898, or ""
 * @param value        how the agent reads it as a table column; null for scalars and objects not served
 * @param scalar       how the agent reads and sets it as a scalar; null for columns and objects not served
 * @param needs        what the kernel must have to provide it, or null when every supported kernel does
 */
public record MibVariable(String name, MibTable table, int column, SmiType type, String syntax, Access access,
                          boolean writable, String units, Source source, String group, String linux,
                          String deviation, RowValue value, ScalarValue scalar, KernelFeature needs) {
    public OID oid() {
        OID oid = table.entry();
        oid.append(column);
        return oid;
    }

    /** Served by the agent on some kernel (not every object Linux cannot provide). */
    public boolean served() {
        return source != Source.NOT_AVAILABLE;
    }

    /** Served by the agent on a kernel with {@code features}. */
    public boolean servedWith(KernelFeatures features) {
        return served() && features.has(needs);
    }

    /** The oldest kernel that provides it: the agent's minimum unless a newer feature is needed. */
    public String oldestKernel() {
        return needs == null ? KernelFeature.MINIMUM_KERNEL : needs.since();
    }
}
