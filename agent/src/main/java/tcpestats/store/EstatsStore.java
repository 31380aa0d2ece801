package tcpestats.store;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import tcpestats.collect.LifecycleEvent;
import tcpestats.collect.SocketRecord;
import tcpestats.collect.TcpState;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/**
 * Holds the rows served over SNMP. Reads go through {@link #snapshot(long)}: a new
 * kernel pass is taken only when the last one is older than the requested age, and
 * concurrent readers share it.
 */
public final class EstatsStore {
    private static final Logger LOG = LogManager.getLogger(EstatsStore.class);

    private final Supplier<List<SocketRecord>> kernel;
    private final LongUnaryOperator pidOfInode;
    private final ConnectIndexAllocator indexes = new ConnectIndexAllocator(1);
    private final Object passLock = new Object();
    private volatile EstatsSnapshot current;

    /**
     * @param kernel     one pass over the kernel's sockets (the iterator, or recorded data in tests)
     * @param pidOfInode process holding a socket inode, 0 if none
     */
    public EstatsStore(Supplier<List<SocketRecord>> kernel, LongUnaryOperator pidOfInode) {
        this.kernel = kernel;
        this.pidOfInode = pidOfInode;
    }

    /** A snapshot taken at most {@code maxAgeNanos} ago. */
    public EstatsSnapshot snapshot(long maxAgeNanos) {
        EstatsSnapshot s = current;
        if (s != null && System.nanoTime() - s.takenAtNanos() <= maxAgeNanos) {
            return s;
        }
        synchronized (passLock) {
            s = current;
            if (s != null && System.nanoTime() - s.takenAtNanos() <= maxAgeNanos) {
                return s;
            }
            s = takePass();
            current = s;
            return s;
        }
    }

    private EstatsSnapshot takePass() {
        long start = System.nanoTime();
        List<SocketRecord> sockets = kernel.get();
        List<ConnectionRow> rows = new ArrayList<>(sockets.size());
        Set<Long> seen = new HashSet<>();
        for (SocketRecord s : sockets) {
            if (s.state() == TcpState.LISTEN) {
                continue;
            }
            long index = 0;
            if (s.hasStats()) {
                index = indexes.indexOf(s.cookie(), start);
                seen.add(s.cookie());
            }
            rows.add(new ConnectionRow(s, index, pidOfInode.applyAsLong(s.inode())));
        }
        indexes.retainOnly(seen, start);
        LOG.debug("kernel pass: {} sockets, {} connection rows in {} us", sockets.size(), rows.size(),
                (System.nanoTime() - start) / 1000);
        return new EstatsSnapshot(start, rows);
    }

    /** Lifecycle events keep connect indexes exact between passes. */
    public void onEvent(LifecycleEvent event) {
        switch (event.kind()) {
            case ESTABLISHED -> indexes.indexOf(event.cookie(), System.nanoTime());
            case CLOSED -> indexes.release(event.cookie());
        }
    }
}
