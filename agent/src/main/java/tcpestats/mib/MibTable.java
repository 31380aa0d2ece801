package tcpestats.mib;

import org.snmp4j.smi.OID;

/** The tables the agent serves, with the OID of their entry. */
public enum MibTable {
    TCP_CONNECTION("TCP-MIB", "tcpConnectionTable", "1.3.6.1.2.1.6.19.1", IndexKind.CONNECTION_TUPLE),
    CONNECT_ID("TCP-ESTATS-MIB", "tcpEStatsConnectIdTable", "1.3.6.1.2.1.156.1.1.2.1", IndexKind.CONNECTION_TUPLE),
    PERF("TCP-ESTATS-MIB", "tcpEStatsPerfTable", "1.3.6.1.2.1.156.1.1.3.1", IndexKind.CONNECT_INDEX);

    private final String module;
    private final String tableName;
    private final OID entry;
    private final IndexKind indexKind;

    MibTable(String module, String tableName, String entry, IndexKind indexKind) {
        this.module = module;
        this.tableName = tableName;
        this.entry = new OID(entry);
        this.indexKind = indexKind;
    }

    public String module() {
        return module;
    }

    public String tableName() {
        return tableName;
    }

    /** The entry OID; column c is entry.c. */
    public OID entry() {
        return new OID(entry);
    }

    public IndexKind indexKind() {
        return indexKind;
    }
}
