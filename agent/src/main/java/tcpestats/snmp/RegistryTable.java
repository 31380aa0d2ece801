package tcpestats.snmp;

import org.snmp4j.agent.MOScope;
import org.snmp4j.agent.mo.DefaultMOTable;
import org.snmp4j.agent.mo.MOColumn;
import org.snmp4j.agent.mo.MOTableIndex;
import org.snmp4j.agent.mo.MOTableRow;
import org.snmp4j.smi.OID;

/**
 * A table over the store's snapshots. DefaultMOTable calls {@link #update(MOScope)} before it
 * reads rows: once per request, and on every lookup that has no request (the server's GETNEXT
 * search). Both take the store's snapshot, which costs a kernel pass only when the last one is
 * older than estatsSnapshotMaxAge, so a walk still reads one snapshot and a table that was empty
 * at the last pass shows the rows that appeared since.
 */
class RegistryTable extends DefaultMOTable<MOTableRow, MOColumn, RegistryTableModel> {
    private final TableViews views;

    RegistryTable(OID oid, MOTableIndex index, MOColumn[] columns, RegistryTableModel model, TableViews views) {
        super(oid, index, columns, model);
        this.views = views;
    }

    @Override
    public void update(MOScope updateScope) {
        views.refresh();
    }
}
