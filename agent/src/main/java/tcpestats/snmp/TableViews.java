package tcpestats.snmp;

import org.snmp4j.smi.OID;
import tcpestats.collect.KernelPass;
import tcpestats.mib.HostTcpSettings;
import tcpestats.mib.Indexes;
import tcpestats.mib.MibTable;
import tcpestats.mib.ValueContext;
import tcpestats.store.ConnectionRow;
import tcpestats.store.EstatsControls;
import tcpestats.store.EstatsSnapshot;
import tcpestats.store.EstatsStore;
import tcpestats.store.StoreRow;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The rows of each table of one SNMP context (one network namespace) for the current
 * store snapshot, sorted by index OID so that GETNEXT is a binary search. Built once per
 * snapshot and table, on demand. A table whose tcpEStatsControl scalar is false has no rows.
 */
public final class TableViews {
    /** Rows of one table, sorted by index; {@code indexes[i]} is the index of {@code rows[i]}. */
    public record View(OID[] indexes, StoreRow[] rows, ValueContext context) {
        /** Position of {@code index}, or (-(insertion point) - 1). */
        int find(OID index) {
            return Arrays.binarySearch(indexes, index);
        }

        /** The first row whose index is after (at, if included) {@code oid}'s sub-identifiers from {@code from}. */
        int firstAfter(int[] oid, int from, boolean included) {
            int low = 0;
            int high = indexes.length;
            while (low < high) {
                int mid = (low + high) >>> 1;
                int[] index = indexes[mid].getValue();
                int c = compare(index, 0, index.length, oid, from, oid.length);
                if (c < 0 || (c == 0 && !included)) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return low;
        }

        /** Whether a row's index is {@code oid}'s sub-identifiers from {@code from}. */
        boolean contains(int[] oid, int from) {
            int i = firstAfter(oid, from, true);
            if (i == indexes.length) {
                return false;
            }
            int[] index = indexes[i].getValue();
            return compare(index, 0, index.length, oid, from, oid.length) == 0;
        }
    }

    /** OID order of a[aFrom, aTo) against b[bFrom, bTo): sub-identifiers unsigned, a prefix first. */
    static int compare(int[] a, int aFrom, int aTo, int[] b, int bFrom, int bTo) {
        int n = Math.min(aTo - aFrom, bTo - bFrom);
        for (int i = 0; i < n; i++) {
            int c = Integer.compareUnsigned(a[aFrom + i], b[bFrom + i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(aTo - aFrom, bTo - bFrom);
    }

    /**
     * The rows of this namespace in one store snapshot (a copy that holds only them: each
     * context keeps its own for a walk in progress, and must not keep every namespace's rows
     * of an older pass alive), with the table views built from them.
     */
    record Cached(EstatsSnapshot snapshot, ValueContext context, View[] views) {
    }

    private static final List<MibTable> TABLES = List.of(MibTable.values());

    /** How long a walk in progress keeps its snapshot: a longer walk continues on a fresh one. */
    static final long WALK_MAX_NANOS = 30_000_000_000L;

    private final EstatsStore store;
    private final EstatsControls controls;
    /** The network namespace (inode) whose rows these views show. */
    private final long netns;
    private final long maxAgeNanos;
    private final long uptimeOriginNanos;
    private volatile Cached cached = new Cached(null, null, new View[0]);

    public TableViews(EstatsStore store, EstatsControls controls, long maxAgeNanos, long uptimeOriginNanos, long netns) {
        this.store = store;
        this.netns = netns;
        this.controls = controls;
        this.maxAgeNanos = maxAgeNanos;
        this.uptimeOriginNanos = uptimeOriginNanos;
    }

    /** A snapshot that lists this context's namespace whole, at most the max age old. */
    EstatsSnapshot snapshot() {
        return store.snapshot(maxAgeNanos, netns);
    }

    /** Makes the next snapshots list every namespace whole: what sampling every context needs. */
    public void refreshEveryNamespace() {
        store.snapshot(maxAgeNanos, KernelPass.EVERY_NAMESPACE);
    }

    /** A view of the same snapshots for another network namespace. */
    TableViews forNamespace(long otherNetns) {
        return new TableViews(store, controls, maxAgeNanos, uptimeOriginNanos, otherNetns);
    }

    ValueContext context() {
        Cached c = cached;
        return c.snapshot() == null ? refresh().context() : c.context();
    }

    /**
     * Takes the store's snapshot (a new kernel pass if the last one is older than the max
     * age). Tables call it once per SNMP request, so that all the cells a request reads
     * come from one snapshot and a walk does not pay a pass per cell.
     */
    public Cached refresh() {
        EstatsSnapshot snapshot = store.snapshot(maxAgeNanos, netns);
        Cached c = cached;
        if (!sameTaking(c, snapshot)) {
            synchronized (this) {
                c = cached;
                if (!sameTaking(c, snapshot)) {
                    c = new Cached(snapshot.of(netns), ValueContext.now(uptimeOriginNanos,
                            HostTcpSettings.read(Path.of("/proc/sys/net/ipv4"))), new View[TABLES.size()]);
                    cached = c;
                }
            }
        }
        return c;
    }

    private static boolean sameTaking(Cached c, EstatsSnapshot snapshot) {
        return c.snapshot() != null && c.snapshot().takenAtNanos() == snapshot.takenAtNanos();
    }

    /**
     * Whether a GETNEXT/GETBULK from {@code lowerBound} continues a walk of the snapshot in use:
     * it is a row of one of this context's tables in that snapshot (the table asked, or one
     * before it that the walk leaves: a GETBULK runs on past the end of the table walked), and
     * the snapshot is younger than {@link #WALK_MAX_NANOS}. Walks then read one snapshot from
     * start to end, however long they take, for one kernel pass.
     */
    boolean continuesWalk(OID lowerBound) {
        Cached c = cached;
        if (lowerBound == null || c.snapshot() == null
                || System.nanoTime() - c.snapshot().takenAtNanos() > WALK_MAX_NANOS) {
            return false;
        }
        int[] oid = lowerBound.getValue();
        for (MibTable table : TABLES) {
            if (table.contains(lowerBound)) {
                return view(table).contains(oid, table.entryLength() + 1);
            }
        }
        return false;
    }

    /** The rows of {@code table} in the snapshot of the last {@link #refresh}. */
    public View view(MibTable table) {
        Cached c = cached.snapshot() == null ? refresh() : cached;
        if (table.control() != null && !controls.on(table.control())) {
            return new View(new OID[0], new StoreRow[0], c.context());
        }
        View view = c.views()[table.ordinal()];
        if (view == null) {
            synchronized (c.views()) {
                view = c.views()[table.ordinal()];
                if (view == null) {
                    view = build(table, c.snapshot(), c.context());
                    c.views()[table.ordinal()] = view; // a record: its final fields publish it whole
                }
            }
        }
        return view;
    }

    static View build(MibTable table, EstatsSnapshot snapshot, ValueContext context) {
        List<? extends StoreRow> source = switch (table.indexKind()) {
            case LISTENER -> snapshot.listeners();
            default -> snapshot.connections();
        };
        List<Map.Entry<OID, StoreRow>> entries = new ArrayList<>(source.size());
        for (StoreRow row : source) {
            if (table != MibTable.TCP_CONNECTION && row instanceof ConnectionRow c && !c.hasStats()) {
                continue;
            }
            entries.add(Map.entry(Indexes.of(table.indexKind(), row), row));
        }
        entries.sort(Map.Entry.comparingByKey());
        List<OID> indexes = new ArrayList<>(entries.size());
        List<StoreRow> rows = new ArrayList<>(entries.size());
        for (Map.Entry<OID, StoreRow> e : entries) {
            // two rows with one 4-tuple (a TIME_WAIT socket and the closed connection kept for
            // tcpEStatsConnTableLatency, or a new connection reusing the tuple): TCP-MIB shows the
            // live socket, the statistics tables the row that has statistics
            int last = indexes.size() - 1;
            if (last >= 0 && indexes.get(last).equals(e.getKey())) {
                if (rows.get(last) instanceof ConnectionRow prev && e.getValue() instanceof ConnectionRow next
                        && rank(table, next) > rank(table, prev)) {
                    rows.set(last, next);
                }
                continue;
            }
            indexes.add(e.getKey());
            rows.add(e.getValue());
        }
        return new View(indexes.toArray(OID[]::new), rows.toArray(StoreRow[]::new), context);
    }

    /** Which of two rows with one index a table shows: the higher rank. */
    private static int rank(MibTable table, ConnectionRow row) {
        int live = row.retained() ? 0 : 1;
        int stats = row.hasStats() ? 1 : 0;
        return table == MibTable.TCP_CONNECTION ? live * 2 + stats : stats * 2 + live;
    }
}
