package tcpestats.support;

import tcpestats.collect.Cgroups;
import tcpestats.collect.Control;
import tcpestats.collect.KernelCollector;
import tcpestats.mib.HostTcpSettings;
import tcpestats.mib.MibVariable;
import tcpestats.mib.Registry;
import tcpestats.mib.RowValue;
import tcpestats.mib.ValueContext;
import tcpestats.store.ConnectionRow;
import tcpestats.store.EstatsSnapshot;
import tcpestats.store.EstatsStore;
import tcpestats.store.ListenerRow;
import tcpestats.store.StoreRow;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The real BPF programs with every optional table on, read the way the SNMP tables
 * read them: registry values by object name for one connection or listener.
 */
public final class EstatsProbe implements AutoCloseable {
    private final KernelCollector collector;
    private final EstatsStore store;
    private final long origin = System.nanoTime();

    public EstatsProbe() {
        collector = KernelCollector.start(Cgroups.cgroup2Root(Path.of("/proc/self/mountinfo")).orElseThrow());
        collector.setControls(java.util.EnumSet.of(Control.PATH, Control.STACK, Control.APP));
        store = new EstatsStore(collector::snapshot, inode -> 0);
        collector.startEvents(store::onEvent);
    }

    public KernelCollector collector() {
        return collector;
    }

    /** Every served value of the connection of this network namespace with these local and remote ports. */
    public Map<String, Long> connection(int localPort, int remotePort) {
        return connectionIn(collector.ownNetns(), localPort, remotePort);
    }

    /** Every served value of the connection of network namespace {@code netns} (its inode) with these ports. */
    public Map<String, Long> connectionIn(long netns, int localPort, int remotePort) {
        EstatsSnapshot s = store.snapshot(0);
        ConnectionRow row = s.connections().stream()
                .filter(c -> c.socket().netns() == netns)
                .filter(c -> c.hasStats() && c.socket().local().port() == localPort
                        && c.socket().remote().port() == remotePort)
                .findFirst().orElseThrow(() -> new AssertionError("no connection " + localPort + " -> " + remotePort
                        + " in netns " + netns));
        return values(row);
    }

    /** Every served value of this network namespace's listener on {@code port}. */
    public Map<String, Long> listener(int port) {
        ListenerRow row = store.snapshot(0).listeners().stream()
                .filter(l -> l.socket().netns() == collector.ownNetns() && l.socket().local().port() == port)
                .findFirst().orElseThrow(() -> new AssertionError("no listener on " + port));
        return values(row);
    }

    public long listenerChangedNanos() {
        return store.snapshot(0).listenerChangedNanos();
    }

    private Map<String, Long> values(StoreRow row) {
        ValueContext ctx = ValueContext.now(origin, HostTcpSettings.read(Path.of("/proc/sys/net/ipv4")));
        Map<String, Long> values = new HashMap<>();
        for (MibVariable v : Registry.all()) {
            if (v.value() == null || v.table().indexKind() == tcpestats.mib.IndexKind.LISTENER
                    != (row instanceof ListenerRow)) {
                continue;
            }
            long value = v.value().read(row, ctx);
            if (value != RowValue.ABSENT) {
                values.put(v.name(), value);
            }
        }
        return values;
    }

    @Override
    public void close() {
        collector.close();
    }
}
