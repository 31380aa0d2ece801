package tcpestats.snmp;

import org.snmp4j.agent.mo.MOTableModel;
import org.snmp4j.agent.mo.MOTableRow;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;
import tcpestats.mib.MibTable;
import tcpestats.mib.MibVariable;
import tcpestats.mib.RowValue;
import tcpestats.mib.ValueContext;
import tcpestats.store.StoreRow;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A read-only table model over the store's snapshot: rows and values are produced
 * from the registry's columns, never stored column by column. Each call sees the
 * current snapshot (refreshed when older than the configured age).
 */
final class RegistryTableModel implements MOTableModel<MOTableRow> {
    private final MibTable table;
    private final List<MibVariable> columns;
    private final TableViews views;

    RegistryTableModel(MibTable table, List<MibVariable> columns, TableViews views) {
        this.table = table;
        this.columns = columns;
        this.views = views;
    }

    List<MibVariable> columns() {
        return columns;
    }

    private TableViews.View view() {
        return views.view(table);
    }

    @Override
    public int getColumnCount() {
        return columns.size();
    }

    @Override
    public int getRowCount() {
        return view().rows().length;
    }

    @Override
    public boolean isEmpty() {
        return getRowCount() == 0;
    }

    @Override
    public boolean containsRow(OID index) {
        return view().find(index) >= 0;
    }

    @Override
    public MOTableRow getRow(OID index) {
        TableViews.View v = view();
        int i = v.find(index);
        return i >= 0 ? new Row(v.indexes()[i], v.rows()[i], v.context()) : null;
    }

    /** The store's row at {@code index} in the current snapshot, or null. */
    StoreRow storeRow(OID index) {
        TableViews.View v = view();
        int i = v.find(index);
        return i >= 0 ? v.rows()[i] : null;
    }

    @Override
    public Iterator<MOTableRow> iterator() {
        return iterate(view(), 0);
    }

    @Override
    public Iterator<MOTableRow> tailIterator(OID lowerBound) {
        TableViews.View v = view();
        if (lowerBound == null) {
            return iterate(v, 0);
        }
        int i = v.find(lowerBound);
        return iterate(v, i >= 0 ? i : -i - 1);
    }

    @Override
    public OID lastIndex() {
        OID[] idx = view().indexes();
        return idx.length == 0 ? null : idx[idx.length - 1];
    }

    @Override
    public OID firstIndex() {
        OID[] idx = view().indexes();
        return idx.length == 0 ? null : idx[0];
    }

    @Override
    public MOTableRow firstRow() {
        TableViews.View v = view();
        return v.rows().length == 0 ? null : new Row(v.indexes()[0], v.rows()[0], v.context());
    }

    @Override
    public MOTableRow lastRow() {
        TableViews.View v = view();
        int n = v.rows().length;
        return n == 0 ? null : new Row(v.indexes()[n - 1], v.rows()[n - 1], v.context());
    }

    private Iterator<MOTableRow> iterate(TableViews.View v, int from) {
        return new Iterator<>() {
            private int next = from;

            @Override
            public boolean hasNext() {
                return next < v.rows().length;
            }

            @Override
            public MOTableRow next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row row = new Row(v.indexes()[next], v.rows()[next], v.context());
                next++;
                return row;
            }
        };
    }

    /**
     * A row whose values are computed on read; each call returns a fresh Variable, or
     * null for a value the row does not have (GET answers noSuchInstance, GETNEXT skips it).
     */
    private final class Row implements MOTableRow {
        private final OID index;
        private final StoreRow row;
        private final ValueContext context;

        Row(OID index, StoreRow row, ValueContext context) {
            this.index = index;
            this.row = row;
            this.context = context;
        }

        @Override
        public OID getIndex() {
            return index;
        }

        @Override
        public Variable getValue(int column) {
            MibVariable v = columns.get(column);
            long value = v.value().read(row, context);
            return value == RowValue.ABSENT ? null : v.type().toVariable(value);
        }

        @Override
        public MOTableRow getBaseRow() {
            return null;
        }

        @Override
        public void setBaseRow(MOTableRow baseRow) {
            throw new UnsupportedOperationException("rows of " + table.tableName() + " have no base row");
        }

        @Override
        public int size() {
            return columns.size();
        }
    }
}
