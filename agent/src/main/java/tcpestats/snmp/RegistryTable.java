package tcpestats.snmp;

import org.snmp4j.agent.DefaultMOQuery;
import org.snmp4j.agent.MOQuery;
import org.snmp4j.agent.MOScope;
import org.snmp4j.agent.mo.DefaultMOTable;
import org.snmp4j.agent.mo.MOColumn;
import org.snmp4j.agent.mo.MOTableIndex;
import org.snmp4j.agent.mo.MOTableRow;
import org.snmp4j.agent.request.SubRequest;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import tcpestats.mib.MibTable;
import tcpestats.mib.MibVariable;
import tcpestats.mib.RowValue;

import java.util.Objects;
import java.util.function.Function;

/**
 * A table over the store's snapshots. DefaultMOTable calls {@link #update(MOScope)} before it
 * reads rows: once per request, and on every lookup that has no request (the server's GETNEXT
 * search). A GETNEXT or GETBULK that continues from a row of the snapshot in use (of this table
 * or of one the walk leaves) is a walk in progress and keeps that snapshot (see
 * {@link TableViews#continuesWalk}); anything else takes
 * the store's snapshot, which costs a kernel pass only when the last one is older than
 * estatsSnapshotMaxAge. So a walk reads one consistent snapshot for one pass, and a table that was
 * empty at the last pass shows the rows that appeared since.
 * <p>
 * GETNEXT and GETBULK are answered here rather than by DefaultMOTable: the next cell is a binary
 * search of the sorted view on the index sub-identifiers, with no index decoding, row object or
 * walk cache per cell. SNMP4J-Agent asks twice per variable binding (the server's lookup calls
 * {@link #find(MOQuery, Function)} with the access filter, then {@link #next(SubRequest, Function)}
 * with the same one); the cell the first call found is kept for the second.
 */
class RegistryTable extends DefaultMOTable<MOTableRow, MOColumn, RegistryTableModel> {
    /** A cell with its value. */
    private record Cell(OID oid, Variable value) {
    }

    /** The answer of the last {@link #find(MOQuery, Function)} on this thread, for the next() that follows. */
    private record Found(RegistryTable table, MOQuery query, OID lowerBound, boolean lowerIncluded, Cell cell) {
    }

    private static final ThreadLocal<Found> LAST_FOUND = new ThreadLocal<>();
    /** The request whose varbinds this thread last read: its views are refreshed once, at its first. */
    private static final ThreadLocal<Object> REFRESHED_FOR = new ThreadLocal<>();

    private final MibTable table;
    private final TableViews views;
    private final int[] entry;
    private final MibVariable[] columns;

    RegistryTable(MibTable table, MOTableIndex index, MOColumn[] columns, RegistryTableModel model,
                  TableViews views) {
        super(table.entry(), index, columns, model);
        this.table = table;
        this.views = views;
        this.entry = table.entry().getValue();
        this.columns = model.columns().toArray(MibVariable[]::new);
    }

    @Override
    public void update(MOScope range) {
        if (range != null && !range.isLowerIncluded() && views.continuesWalk(range.getLowerBound())) {
            return;
        }
        views.refresh();
    }

    @Override
    public OID find(MOScope range) {
        Cell cell = firstCell(range, null, null);
        return cell == null ? null : cell.oid();
    }

    @Override
    public OID find(MOQuery query, Function<OID, Boolean> filter) {
        MOScope scope = query.getScope();
        Cell cell = firstCell(scope, filter, query instanceof DefaultMOQuery q ? q.getSource() : null);
        LAST_FOUND.set(new Found(this, query, scope.getLowerBound(), scope.isLowerIncluded(), cell));
        return cell == null ? null : cell.oid();
    }

    @Override
    public boolean next(SubRequest<?> request, Function<OID, Boolean> filter) {
        MOScope scope = request.getScope();
        Found found = LAST_FOUND.get();
        LAST_FOUND.remove();
        Cell cell = found != null && found.table() == this && found.query() == request.getQuery()
                && found.lowerIncluded() == scope.isLowerIncluded()
                && Objects.equals(found.lowerBound(), scope.getLowerBound())
                ? found.cell() : firstCell(scope, filter, request.getRequest());
        if (cell == null) {
            return false;
        }
        VariableBinding vb = request.getVariableBinding();
        vb.setOid(cell.oid());
        vb.setVariable(cell.value());
        request.completed();
        return true;
    }

    /**
     * The first cell after (or at, if included) the scope's lower bound and within its upper
     * bound that has a value and that {@code filter} (the access check; null: none) accepts.
     * Cells are in column-major order: entry.column.index. {@code request} (null: unknown) is the
     * SNMP request asking: the views are refreshed at its first varbind only, so that its
     * varbinds read one snapshot and the others skip the check.
     */
    private Cell firstCell(MOScope scope, Function<OID, Boolean> filter, Object request) {
        OID lowerBound = scope.getLowerBound();
        boolean lowerIncluded = scope.isLowerIncluded();
        if (request == null || REFRESHED_FOR.get() != request) {
            update(scope);
            if (request != null) {
                REFRESHED_FOR.set(request);
            }
        }
        TableViews.View view = views.view(table);
        int column = 0;
        int row = 0;
        if (lowerBound != null) {
            int[] lower = lowerBound.getValue();
            boolean inTable = lower.length > entry.length
                    && TableViews.compare(lower, 0, entry.length, entry, 0, entry.length) == 0;
            if (inTable) {
                int columnId = lower[entry.length];
                while (column < columns.length && Integer.compareUnsigned(columns[column].column(), columnId) < 0) {
                    column++;
                }
                if (column < columns.length && columns[column].column() == columnId
                        && lower.length > entry.length + 1) {
                    row = view.firstAfter(lower, entry.length + 1, lowerIncluded);
                }
            } else if (TableViews.compare(lower, 0, lower.length, entry, 0, entry.length) > 0) {
                return null; // after this table
            }
        }
        OID upperBound = scope.getUpperBound();
        for (; column < columns.length; column++, row = 0) {
            MibVariable variable = columns[column];
            for (; row < view.rows().length; row++) {
                long value = variable.value().read(view.rows()[row], view.context());
                if (value == RowValue.ABSENT) {
                    continue;
                }
                OID oid = cellOid(variable.column(), view.indexes()[row]);
                if (upperBound != null) {
                    int c = oid.compareTo(upperBound);
                    if (c > 0 || (c == 0 && !scope.isUpperIncluded())) {
                        return null;
                    }
                }
                if (filter != null && !filter.apply(oid)) {
                    continue;
                }
                return new Cell(oid, variable.type().toVariable(value));
            }
        }
        return null;
    }

    private OID cellOid(int columnId, OID index) {
        int[] sub = index.getValue();
        int[] cell = new int[entry.length + 1 + sub.length];
        System.arraycopy(entry, 0, cell, 0, entry.length);
        cell[entry.length] = columnId;
        System.arraycopy(sub, 0, cell, entry.length + 1, sub.length);
        return new OID(cell);
    }
}
