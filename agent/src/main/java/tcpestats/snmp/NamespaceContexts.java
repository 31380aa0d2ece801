package tcpestats.snmp;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.snmp4j.agent.DefaultMOServer;
import org.snmp4j.agent.DuplicateRegistrationException;
import org.snmp4j.smi.OctetString;
import tcpestats.collect.KernelFeatures;
import tcpestats.collect.NetworkNamespaces;
import tcpestats.store.ConnectionRow;
import tcpestats.store.EstatsControls;
import tcpestats.store.EstatsSnapshot;
import tcpestats.store.EstatsStore;
import tcpestats.store.ListenerRow;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One SNMP context per network namespace other than the agent's, named {@code netns:INODE}:
 * the TCP-MIB and TCP-ESTATS tables of that namespace's sockets. A context appears when its
 * namespace does (a process in it, an {@code ip netns} name, or a socket of it) and goes when
 * nothing of it is left, its closed rows (tcpEStatsConnTableLatency) included. The server
 * lists the contexts in vacmContextTable.
 */
public final class NamespaceContexts {
    private static final Logger LOG = LogManager.getLogger(NamespaceContexts.class);
    static final String PREFIX = "netns:";
    private static final long SNAPSHOT_MAX_AGE_NANOS = 5_000_000_000L;

    private final DefaultMOServer server;
    private final TableViews views;
    private final EstatsControls controls;
    private final EstatsStore store;
    private final ConnectionTuner tuner;
    private final KernelFeatures features;
    private final NetworkNamespaces namespaces;
    private final long ownNetns;
    /** The tables of each context and the views they read, by namespace inode. */
    private record Context(RegistryTables tables, TableViews views) {
    }

    private final Map<Long, Context> contexts = new HashMap<>();

    public NamespaceContexts(DefaultMOServer server, TableViews views, EstatsControls controls, EstatsStore store,
                      ConnectionTuner tuner, KernelFeatures features, NetworkNamespaces namespaces, long ownNetns) {
        this.tuner = tuner;
        this.server = server;
        this.views = views;
        this.controls = controls;
        this.store = store;
        this.features = features;
        this.namespaces = namespaces;
        this.ownNetns = ownNetns;
    }

    public static OctetString name(long netns) {
        return new OctetString(PREFIX + netns);
    }

    /** Adds the contexts of namespaces that appeared and removes those of namespaces that are gone. */
    public synchronized void update() {
        Map<Long, NetworkNamespaces.Namespace> known = namespaces.list();
        // any recent pass will do: each has the sockets processes hold in every namespace, and
        // namespaces show in /proc before their sockets matter
        EstatsSnapshot snapshot = store.snapshot(SNAPSHOT_MAX_AGE_NANOS, ownNetns);
        Set<Long> present = new TreeSet<>(known.keySet());
        for (ConnectionRow row : snapshot.connections()) {
            present.add(row.socket().netns());
        }
        for (ListenerRow row : snapshot.listeners()) {
            present.add(row.socket().netns());
        }
        present.remove(ownNetns);
        for (long netns : present) {
            if (!contexts.containsKey(netns)) {
                add(netns, known.get(netns));
            }
        }
        for (long netns : Set.copyOf(contexts.keySet())) {
            if (!present.contains(netns)) {
                OctetString context = name(netns);
                contexts.remove(netns).tables().unregister(server, context);
                server.removeContext(context);
                LOG.info("context {} removed: its network namespace is gone and no row of it is kept", context);
            }
        }
    }

    /**
     * Makes sure the context of {@code netns} exists now, before the next update finds it:
     * a notification about a connection of a namespace that just appeared is sent in its
     * context, which VACM refuses for a context the server does not have.
     */
    public synchronized void ensure(long netns) {
        if (netns != ownNetns && !contexts.containsKey(netns)) {
            add(netns, namespaces.find(netns).orElse(null));
        }
    }

    private void add(long netns, NetworkNamespaces.Namespace namespace) {
        OctetString context = name(netns);
        TableViews namespaceViews = views.forNamespace(netns);
        RegistryTables tables = new RegistryTables(namespaceViews, controls, store, tuner, features);
        server.addContext(context);
        try {
            tables.register(server, context);
        } catch (DuplicateRegistrationException e) {
            throw new IllegalStateException("context " + context + " is registered twice: " + e.getMessage(), e);
        }
        contexts.put(netns, new Context(tables, namespaceViews));
        LOG.info("context {} appeared: {}", context, namespace == null ? "seen in its sockets only"
                : namespace.describe());
    }

    /** The views of the contexts served besides the default one, by namespace inode. */
    public synchronized Map<Long, TableViews> views() {
        Map<Long, TableViews> views = new HashMap<>();
        contexts.forEach((netns, context) -> views.put(netns, context.views()));
        return views;
    }

    public synchronized void close() {
        contexts.forEach((netns, context) -> {
            context.tables().unregister(server, name(netns));
            server.removeContext(name(netns));
        });
        contexts.clear();
    }
}
