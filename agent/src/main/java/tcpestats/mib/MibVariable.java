package tcpestats.mib;

import org.snmp4j.smi.OID;
import tcpestats.store.ConnectionRow;

import java.util.function.ToLongFunction;

/**
 * One columnar object: its MIB facts, where Linux gets it, and how its value is read
 * from a connection row.
 *
 * @param units RFC 4898's UNITS clause, or "" when it has none
 */
public record MibVariable(String name, MibTable table, int column, SmiType type, Access access, String units,
                          Source source, ToLongFunction<ConnectionRow> value) {
    public OID oid() {
        OID oid = table.entry();
        oid.append(column);
        return oid;
    }
}
