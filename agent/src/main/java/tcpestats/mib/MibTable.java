package tcpestats.mib;

import org.snmp4j.smi.OID;
import tcpestats.collect.Control;

/** The tables (and the scalar groups) the agent serves, with the OID of their entry. */
public enum MibTable {
    TCP_CONNECTION("TCP-MIB", "tcpConnectionTable", "tcpConnectionEntry", "1.3.6.1.2.1.6.19.1",
            IndexKind.CONNECTION_TUPLE, null),
    TCP_LISTENER("TCP-MIB", "tcpListenerTable", "tcpListenerEntry", "1.3.6.1.2.1.6.20.1", IndexKind.LISTENER, null),
    LISTENER("TCP-ESTATS-MIB", "tcpEStatsListenerTable", "tcpEStatsListenerEntry", "1.3.6.1.2.1.156.1.1.1.1",
            IndexKind.LISTENER, null),
    CONNECT_ID("TCP-ESTATS-MIB", "tcpEStatsConnectIdTable", "tcpEStatsConnectIdEntry", "1.3.6.1.2.1.156.1.1.2.1",
            IndexKind.CONNECTION_TUPLE, null),
    PERF("TCP-ESTATS-MIB", "tcpEStatsPerfTable", "tcpEStatsPerfEntry", "1.3.6.1.2.1.156.1.1.3.1",
            IndexKind.CONNECT_INDEX, null),
    PATH("TCP-ESTATS-MIB", "tcpEStatsPathTable", "tcpEStatsPathEntry", "1.3.6.1.2.1.156.1.1.4.1",
            IndexKind.CONNECT_INDEX, Control.PATH),
    STACK("TCP-ESTATS-MIB", "tcpEStatsStackTable", "tcpEStatsStackEntry", "1.3.6.1.2.1.156.1.1.5.1",
            IndexKind.CONNECT_INDEX, Control.STACK),
    APP("TCP-ESTATS-MIB", "tcpEStatsAppTable", "tcpEStatsAppEntry", "1.3.6.1.2.1.156.1.1.6.1",
            IndexKind.CONNECT_INDEX, Control.APP),
    TUNE("TCP-ESTATS-MIB", "tcpEStatsTuneTable", "tcpEStatsTuneEntry", "1.3.6.1.2.1.156.1.1.7.1",
            IndexKind.CONNECT_INDEX, Control.TUNE),
    CONTROL("TCP-ESTATS-MIB", "tcpEStatsControl", null, "1.3.6.1.2.1.156.1.2", IndexKind.SCALAR, null),
    SCALAR("TCP-ESTATS-MIB", "tcpEStatsScalar", null, "1.3.6.1.2.1.156.1.3", IndexKind.SCALAR, null);

    private final String module;
    private final String tableName;
    private final String entryName;
    private final OID entry;
    private final IndexKind indexKind;
    private final Control control;

    MibTable(String module, String tableName, String entryName, String entry, IndexKind indexKind, Control control) {
        this.module = module;
        this.tableName = tableName;
        this.entryName = entryName;
        this.entry = new OID(entry);
        this.indexKind = indexKind;
        this.control = control;
    }

    public String module() {
        return module;
    }

    public String tableName() {
        return tableName;
    }

    /** The entry's name; null for scalar groups. */
    public String entryName() {
        return entryName;
    }

    /** The entry OID (column c is entry.c), or the scalar group's OID. */
    public OID entry() {
        return new OID(entry);
    }

    /** The number of sub-identifiers of the entry OID: a cell's column is the one after them. */
    public int entryLength() {
        return entry.size();
    }

    /** Whether {@code cell} is entry.column.index of this table, with an index (not checked against rows). */
    public boolean contains(OID cell) {
        return isTable() && cell.size() > entry.size() + 1 && cell.startsWith(entry);
    }

    public IndexKind indexKind() {
        return indexKind;
    }

    public boolean isTable() {
        return indexKind != IndexKind.SCALAR;
    }

    /** The control that switches the table on, or null if it is always on. */
    public Control control() {
        return control;
    }
}
