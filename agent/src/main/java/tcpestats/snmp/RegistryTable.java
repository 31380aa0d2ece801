package tcpestats.snmp;

import org.snmp4j.agent.DefaultMOQuery;
import org.snmp4j.agent.MOQuery;
import org.snmp4j.agent.MOScope;
import org.snmp4j.agent.mo.DefaultMOTable;
import org.snmp4j.agent.mo.MOColumn;
import org.snmp4j.agent.mo.MOTableIndex;
import org.snmp4j.agent.mo.MOTableRow;
import org.snmp4j.agent.request.SnmpRequest;
import org.snmp4j.agent.request.SubRequest;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import tcpestats.mib.MibTable;
import tcpestats.mib.MibVariable;
import tcpestats.mib.RowValue;

import java.util.Arrays;
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
 * <p>
 * A GETBULK's next repetition of a varbind whose last one a table answered continues from that
 * cell's position in the same view ({@link #continueWalk}), without the server's lookup or a
 * search: the next cell of that table is the next in the whole MIB, as no other object lies
 * within a table's subtree.
 */
class RegistryTable extends DefaultMOTable<MOTableRow, MOColumn, RegistryTableModel> {
    /** A cell with its value, and where it is: the table, its view, the column's and the row's positions. */
    private record Cell(OID oid, Variable value, RegistryTable table, TableViews.View view, int column, int row) {
    }

    /**
     * The GETBULK this thread answers and, for each of its repeated varbinds, the cell a table
     * gave its latest repetition (null where none did).
     */
    private record Walk(SnmpRequest request, Cell[] last) {
    }

    private static final ThreadLocal<Walk> WALK = new ThreadLocal<>();

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
    /** Each column's OID (entry.column), the prefix of its cells' OIDs. */
    private final int[][] columnOids;

    RegistryTable(MibTable table, MOTableIndex index, MOColumn[] columns, RegistryTableModel model,
                  TableViews views) {
        super(table.entry(), index, columns, model);
        this.table = table;
        this.views = views;
        this.entry = table.entry().getValue();
        this.columns = model.columns().toArray(MibVariable[]::new);
        this.columnOids = new int[this.columns.length][];
        for (int i = 0; i < this.columns.length; i++) {
            columnOids[i] = Arrays.copyOf(entry, entry.length + 1);
            columnOids[i][entry.length] = this.columns[i].column();
        }
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
        answer(request, cell);
        return true;
    }

    /**
     * Answers a GETBULK repetition with the cell after the one a table gave the same varbind's
     * previous repetition, from that cell's view and position; false (the server's lookup then
     * answers) when no table did, that repetition does not continue from it, or the table has no
     * cell after it that {@code filter} (the access check) accepts.
     */
    static boolean continueWalk(SubRequest<?> repetition, Function<OID, Boolean> filter) {
        Walk walk = WALK.get();
        MOScope scope = repetition.getScope();
        if (walk == null || walk.request() != repetition.getRequest() || scope.isLowerIncluded()
                || scope.getUpperBound() != null) {
            return false;
        }
        int slot = slot(walk.request(), repetition.getIndex());
        Cell previous = slot < 0 ? null : walk.last()[slot];
        if (previous == null || !previous.oid().equals(scope.getLowerBound())) {
            return false;
        }
        Cell cell = previous.table().cellFrom(previous.view(), previous.column(), previous.row() + 1, null, filter);
        if (cell == null) {
            walk.last()[slot] = null;
            return false;
        }
        cell.table().answer(repetition, cell);
        return true;
    }

    /** Forgets this thread's GETBULK (it holds views of a snapshot that may be gone by the next one). */
    static void endWalk() {
        WALK.remove();
    }

    /** The position among a GETBULK's repeated varbinds of sub-request {@code index}; -1 for a non-repeater. */
    private static int slot(SnmpRequest request, int index) {
        int repeaters = request.getRepeaterCount();
        int first = request.getNonRepeaters();
        return index < first || repeaters <= 0 ? -1 : (index - first) % repeaters;
    }

    private void answer(SubRequest<?> request, Cell cell) {
        VariableBinding vb = request.getVariableBinding();
        // the varbind's own OID (a copy the response made) takes the cell's sub-identifiers, where
        // setOid would copy them again: nothing on a response's path (this agent, SNMP4J-Agent's
        // request handling, SNMP4J's encoding) changes an OID's array in place
        vb.getOid().setValue(cell.oid().getValue());
        vb.setVariable(cell.value());
        request.completed();
        if (request.getRequest() instanceof SnmpRequest snmp && snmp.isBulkRequest()) {
            int slot = slot(snmp, request.getIndex());
            if (slot >= 0) {
                Walk walk = WALK.get();
                if (walk == null || walk.request() != snmp) {
                    walk = new Walk(snmp, new Cell[snmp.getRepeaterCount()]);
                    WALK.set(walk);
                }
                walk.last()[slot] = cell;
            }
        }
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
        return cellFrom(view, column, row, scope, filter);
    }

    /**
     * The first cell at or after column position {@code column}, row position {@code row} of
     * {@code view} that has a value, lies within the scope's upper bound (null scope: none) and
     * that {@code filter} (null: none) accepts.
     */
    private Cell cellFrom(TableViews.View view, int column, int row, MOScope scope, Function<OID, Boolean> filter) {
        OID upperBound = scope == null ? null : scope.getUpperBound();
        for (; column < columns.length; column++, row = 0) {
            MibVariable variable = columns[column];
            for (; row < view.rows().length; row++) {
                long value = variable.value().read(view.rows()[row], view.context());
                if (value == RowValue.ABSENT) {
                    continue;
                }
                OID oid = new OID(columnOids[column], view.indexes()[row].getValue());
                if (upperBound != null) {
                    int c = oid.compareTo(upperBound);
                    if (c > 0 || (c == 0 && !scope.isUpperIncluded())) {
                        return null;
                    }
                }
                if (filter != null && !filter.apply(oid)) {
                    continue;
                }
                return new Cell(oid, variable.type().toVariable(value), this, view, column, row);
            }
        }
        return null;
    }
}
