package tcpestats.snmp;

import org.snmp4j.smi.OID;
import tcpestats.mib.Indexes;
import tcpestats.mib.MibTable;
import tcpestats.store.ConnectionRow;
import tcpestats.store.EstatsSnapshot;
import tcpestats.store.EstatsStore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of each table for the current store snapshot, sorted by index OID so
 * that GETNEXT is a binary search. Built once per snapshot and table, on demand.
 */
final class TableViews {
    /** Rows of one table, sorted by index; {@code indexes[i]} is the index of {@code rows[i]}. */
    record View(OID[] indexes, ConnectionRow[] rows) {
        static final View EMPTY = new View(new OID[0], new ConnectionRow[0]);

        /** Position of {@code index}, or (-(insertion point) - 1). */
        int find(OID index) {
            return Arrays.binarySearch(indexes, index);
        }
    }

    private record Cached(EstatsSnapshot snapshot, Map<MibTable, View> views) {
    }

    private final EstatsStore store;
    private final long maxAgeNanos;
    private volatile Cached cached = new Cached(null, Map.of());

    TableViews(EstatsStore store, long maxAgeNanos) {
        this.store = store;
        this.maxAgeNanos = maxAgeNanos;
    }

    View view(MibTable table) {
        EstatsSnapshot snapshot = store.snapshot(maxAgeNanos);
        Cached c = cached;
        if (c.snapshot() != snapshot) {
            synchronized (this) {
                c = cached;
                if (c.snapshot() != snapshot) {
                    c = new Cached(snapshot, new EnumMap<>(MibTable.class));
                    cached = c;
                }
            }
        }
        synchronized (c.views()) {
            return c.views().computeIfAbsent(table, t -> build(t, snapshot));
        }
    }

    static View build(MibTable table, EstatsSnapshot snapshot) {
        List<Map.Entry<OID, ConnectionRow>> entries = new ArrayList<>(snapshot.connections().size());
        for (ConnectionRow row : snapshot.connections()) {
            if (table != MibTable.TCP_CONNECTION && !row.hasStats()) {
                continue;
            }
            entries.add(Map.entry(Indexes.of(table.indexKind(), row), row));
        }
        entries.sort(Map.Entry.comparingByKey());
        List<OID> indexes = new ArrayList<>(entries.size());
        List<ConnectionRow> rows = new ArrayList<>(entries.size());
        for (Map.Entry<OID, ConnectionRow> e : entries) {
            // two sockets with one 4-tuple (a TIME_WAIT and its successor): keep the one with statistics
            int last = indexes.size() - 1;
            if (last >= 0 && indexes.get(last).equals(e.getKey())) {
                if (!rows.get(last).hasStats() && e.getValue().hasStats()) {
                    rows.set(last, e.getValue());
                }
                continue;
            }
            indexes.add(e.getKey());
            rows.add(e.getValue());
        }
        return new View(indexes.toArray(OID[]::new), rows.toArray(ConnectionRow[]::new));
    }
}
