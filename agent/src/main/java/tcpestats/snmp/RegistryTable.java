package tcpestats.snmp;

import org.snmp4j.agent.MOScope;
import org.snmp4j.agent.mo.DefaultMOTable;
import org.snmp4j.agent.mo.MOColumn;
import org.snmp4j.agent.mo.MOTableIndex;
import org.snmp4j.agent.mo.MOTableRow;
import org.snmp4j.agent.request.SubRequest;
import org.snmp4j.smi.OID;

/**
 * A table over the store's snapshots: it takes a fresh snapshot once per SNMP request
 * (DefaultMOTable calls {@link #update(MOScope)} once per request), and lookups without a
 * request reuse the last one.
 */
class RegistryTable extends DefaultMOTable<MOTableRow, MOColumn, RegistryTableModel> {
    private final TableViews views;

    RegistryTable(OID oid, MOTableIndex index, MOColumn[] columns, RegistryTableModel model, TableViews views) {
        super(oid, index, columns, model);
        this.views = views;
    }

    @Override
    protected void update(MOScope range, SubRequest<?> request) {
        if (request != null) {
            super.update(range, request);
        }
    }

    @Override
    public void update(MOScope updateScope) {
        views.refresh();
    }
}
