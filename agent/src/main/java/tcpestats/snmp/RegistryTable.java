package tcpestats.snmp;

import org.snmp4j.agent.MOScope;
import org.snmp4j.agent.mo.DefaultMOTable;
import org.snmp4j.agent.mo.MOColumn;
import org.snmp4j.agent.mo.MOTableIndex;
import org.snmp4j.agent.mo.MOTableRow;
import tcpestats.mib.MibTable;

/**
 * A table over the store's snapshots. DefaultMOTable calls {@link #update(MOScope)} before it
 * reads rows: once per request, and on every lookup that has no request (the server's GETNEXT
 * search). A GETNEXT or GETBULK that continues from a row of the snapshot in use (of this table
 * or of one the walk leaves) is a walk in progress and keeps that snapshot (see
 * {@link TableViews#continuesWalk}); anything else takes
 * the store's snapshot, which costs a kernel pass only when the last one is older than
 * estatsSnapshotMaxAge. So a walk reads one consistent snapshot for one pass, and a table that was
 * empty at the last pass shows the rows that appeared since.
 */
class RegistryTable extends DefaultMOTable<MOTableRow, MOColumn, RegistryTableModel> {
    private final TableViews views;

    RegistryTable(MibTable table, MOTableIndex index, MOColumn[] columns, RegistryTableModel model,
                  TableViews views) {
        super(table.entry(), index, columns, model);
        this.views = views;
    }

    @Override
    public void update(MOScope range) {
        if (range != null && !range.isLowerIncluded() && views.continuesWalk(range.getLowerBound())) {
            return;
        }
        views.refresh();
    }
}
