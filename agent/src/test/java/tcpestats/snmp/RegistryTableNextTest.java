package tcpestats.snmp;

import org.junit.jupiter.api.Test;
import org.snmp4j.agent.DefaultMOContextScope;
import org.snmp4j.agent.DefaultMOQuery;
import org.snmp4j.agent.MOQuery;
import org.snmp4j.agent.MOScope;
import org.snmp4j.agent.ManagedObject;
import org.snmp4j.agent.mo.DefaultMOTable;
import org.snmp4j.agent.mo.MOAccessImpl;
import org.snmp4j.agent.mo.MOColumn;
import org.snmp4j.agent.mo.MOTableRow;
import org.snmp4j.agent.request.Request;
import org.snmp4j.agent.request.RequestStatus;
import org.snmp4j.agent.request.SubRequest;
import org.snmp4j.agent.request.SubRequestIterator;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.VariableBinding;
import tcpestats.collect.Endpoint;
import tcpestats.collect.KernelFeatures;
import tcpestats.collect.KernelPass;
import tcpestats.collect.SocketRecord;
import tcpestats.mib.MibTable;
import tcpestats.mib.MibVariable;
import tcpestats.mib.Registry;
import tcpestats.store.EstatsControls;
import tcpestats.store.EstatsStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tables answer GETNEXT from their sorted views; SNMP4J-Agent's DefaultMOTable over the same
 * rows is the oracle: for every lower bound (before, inside and after each table, at and between
 * cells, inclusive and exclusive) and access filter, both give the same next cell and value.
 */
class RegistryTableNextTest {
    private static final Endpoint[] LOCALS = {
            new Endpoint(new byte[]{127, 0, 0, 1}, 5000),
            new Endpoint(new byte[]{10, 0, 0, 2}, 443),
            new Endpoint(new byte[]{(byte) 192, (byte) 168, 1, (byte) 200}, 65535),
            new Endpoint(new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 22),
    };

    private final EstatsStore store = new EstatsStore(RegistryTableNextTest::pass, inode -> 0);
    private final EstatsControls controls = new EstatsControls(Set.of(), 0);
    private final TableViews views = new TableViews(store, controls, Long.MAX_VALUE, System.nanoTime(), 0);

    private static KernelPass pass() {
        List<SocketRecord> sockets = new ArrayList<>();
        long cookie = 1;
        for (Endpoint local : LOCALS) {
            for (int port : new int[]{80, 1024, 40000}) {
                Endpoint remote = new Endpoint(local.address(), port);
                // a third of them without statistics (TIME_WAIT)
                sockets.add(RecordedSockets.connection(cookie, local, remote, cookie % 3 == 0));
                cookie++;
            }
        }
        return new KernelPass(sockets, Map.of(), 0, Set.of(0L));
    }

    @Test
    void nextCellIsDefaultMOTablesForEveryBoundAndFilter() {
        for (MibTable table : List.of(MibTable.TCP_CONNECTION, MibTable.PERF)) {
            List<MibVariable> columns = Registry.columns(table, KernelFeatures.all());
            MOColumn[] moColumns = columns.stream().map(v -> new MOColumn<>(v.column(), v.type().syntax(),
                    MOAccessImpl.ACCESS_READ_ONLY)).toArray(MOColumn[]::new);
            RegistryTableModel model = new RegistryTableModel(table, columns, views);
            RegistryTable fast = new RegistryTable(table, null, moColumns, model, views);
            DefaultMOTable<MOTableRow, MOColumn, RegistryTableModel> oracle =
                    new DefaultMOTable<>(table.entry(), null, moColumns, model);
            TableViews.View view = views.view(table);
            assertTrue(view.rows().length >= 8, "rows to walk in " + table);

            List<OID> bounds = bounds(table, columns, view);
            OID secondColumn = new OID(table.entry()).append(columns.get(1).column());
            OID thirdRow = view.indexes()[2];
            List<Function<OID, Boolean>> filters = List.of(
                    oid -> true,
                    oid -> !oid.startsWith(secondColumn), // a view excluding one column
                    oid -> !(oid.size() == secondColumn.size() + thirdRow.size()
                            && oid.rightMostCompare(thirdRow.size(), thirdRow) == 0), // ... or one row
                    oid -> oid.size() % 2 == 0);
            int compared = 0;
            for (OID bound : bounds) {
                for (boolean included : new boolean[]{false, true}) {
                    for (Function<OID, Boolean> filter : filters) {
                        VariableBinding expected = next(oracle, bound, included, filter);
                        VariableBinding actual = next(fast, bound, included, filter);
                        assertEquals(expected, actual, table + " from " + bound + (included ? " inclusive" : ""));
                        compared++;
                    }
                }
            }
            assertTrue(compared > 1000, "compared " + compared);
        }
    }

    @Test
    void findForTheServersLookupAgreesWithNextAndKeepsUpperBounds() {
        MibTable table = MibTable.PERF;
        List<MibVariable> columns = Registry.columns(table, KernelFeatures.all());
        MOColumn[] moColumns = columns.stream().map(v -> new MOColumn<>(v.column(), v.type().syntax(),
                MOAccessImpl.ACCESS_READ_ONLY)).toArray(MOColumn[]::new);
        RegistryTableModel model = new RegistryTableModel(table, columns, views);
        RegistryTable fast = new RegistryTable(table, null, moColumns, model, views);
        OID first = new OID(table.entry()).append(columns.getFirst().column());
        OID secondColumn = new OID(table.entry()).append(columns.get(1).column());
        MOQuery query = new DefaultMOQuery(new DefaultMOContextScope(null, first, false, secondColumn, false));
        OID found = fast.find(query, oid -> true);
        assertTrue(found != null && found.startsWith(first), "first cell of the first column: " + found);
        MOQuery beyond = new DefaultMOQuery(new DefaultMOContextScope(null, secondColumn, true, secondColumn, true));
        assertEquals(null, fast.find(beyond, oid -> true), "no cell within an upper bound before every cell");
    }

    /** Lower bounds: around the table, each column, each cell, cells cut short or extended, random. */
    private static List<OID> bounds(MibTable table, List<MibVariable> columns, TableViews.View view) {
        OID entry = table.entry();
        List<OID> bounds = new ArrayList<>();
        bounds.add(new OID("1.3"));
        bounds.add(shorter(entry));
        bounds.add(entry);
        bounds.add(new OID(entry).append(0));
        bounds.add(shorter(entry).append(entry.last() + 1));
        bounds.add(new OID(entry).append(-1)); // sub-identifier 2^32-1
        bounds.add(new OID("1.3.6.1.2.1.200"));
        for (MibVariable column : columns) {
            OID c = new OID(entry).append(column.column());
            bounds.add(c);
            bounds.add(new OID(entry).append(column.column() + 1));
            for (OID index : view.indexes()) {
                OID cell = new OID(c).append(index);
                bounds.add(cell);
                bounds.add(new OID(cell).append(0));
                bounds.add(shorter(cell));
                if (index.size() > 3) {
                    bounds.add(new OID(c).append(new OID(index.getValue(), 0, 3)));
                }
            }
        }
        Random random = new Random(15);
        for (int i = 0; i < 200; i++) {
            OID oid = new OID(entry).append(columns.get(random.nextInt(columns.size())).column());
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                oid.append(random.nextInt(3) == 0 ? random.nextInt(300) : random.nextInt(5));
            }
            bounds.add(oid);
        }
        return bounds;
    }

    private static OID shorter(OID oid) {
        return new OID(oid.getValue(), 0, oid.size() - 1);
    }

    private static VariableBinding next(ManagedObject<SubRequest<?>> table, OID from, boolean included,
                                        Function<OID, Boolean> filter) {
        Next request = new Next(new DefaultMOContextScope(null, from, included, null, false));
        // as the server's lookup does before next()
        table.find(request.getQuery(), filter);
        return table.next(request, filter) ? request.getVariableBinding() : null;
    }

    /** A GETNEXT sub-request: the scope to search and the binding the table fills in. */
    private static final class Next implements SubRequest<Next> {
        private final MOScope scope;
        private final MOQuery query;
        private final VariableBinding binding = new VariableBinding();
        private final RequestStatus status = new RequestStatus();

        Next(DefaultMOContextScope scope) {
            this.scope = scope;
            this.query = new DefaultMOQuery(scope);
            binding.setOid(scope.getLowerBound());
        }

        @Override
        public boolean hasError() {
            return false;
        }

        @Override
        public void setErrorStatus(int errorStatus) {
            status.setErrorStatus(errorStatus);
        }

        @Override
        public int getErrorStatus() {
            return status.getErrorStatus();
        }

        @Override
        public RequestStatus getStatus() {
            return status;
        }

        @Override
        public MOScope getScope() {
            return scope;
        }

        @Override
        public VariableBinding getVariableBinding() {
            return binding;
        }

        @Override
        public Request<?, ?, ?> getRequest() {
            return null;
        }

        @Override
        public Object getUndoValue() {
            return null;
        }

        @Override
        public void setUndoValue(Object undoInformation) {
        }

        @Override
        public void completed() {
            status.setPhaseComplete(true);
        }

        @Override
        public boolean isComplete() {
            return status.isPhaseComplete();
        }

        @Override
        public void setTargetMO(ManagedObject<? super Next> managedObject) {
        }

        @Override
        public ManagedObject<? super Next> getTargetMO() {
            return null;
        }

        @Override
        public int getIndex() {
            return 0;
        }

        @Override
        public void setQuery(MOQuery query) {
        }

        @Override
        public MOQuery getQuery() {
            return query;
        }

        @Override
        public SubRequestIterator<Next> repetitions() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void updateNextRepetition() {
        }

        @Override
        public Object getUserObject() {
            return null;
        }

        @Override
        public void setUserObject(Object userObject) {
        }
    }
}
