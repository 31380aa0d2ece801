package tcpestats.notify;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.VariableBinding;
import tcpestats.collect.Control;
import tcpestats.config.MonitorRule;
import tcpestats.mib.Indexes;
import tcpestats.mib.MibVariable;
import tcpestats.mib.RowValue;
import tcpestats.mib.ValueContext;
import tcpestats.store.EstatsControls;
import tcpestats.store.StoreRow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import tcpestats.snmp.TableViews;

/**
 * The monitor rules at work: every rule samples its column on the agent's table snapshot
 * each FREQUENCY seconds and sends what its {@link Trigger} fires as the DISMAN-EVENT-MIB
 * notifications (RFC 2981) net-snmp's monitor sends, limited per rule and agent-wide. A
 * wildcard rule watches every context (network namespace) and names the one that fired in
 * mteHotContextName; a rule for one instance watches the default context.
 */
public final class EventMonitor implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(EventMonitor.class);
    static final OID TRIGGER_FIRED = new OID("1.3.6.1.2.1.88.2.0.1");
    static final OID TRIGGER_RISING = new OID("1.3.6.1.2.1.88.2.0.2");
    static final OID TRIGGER_FALLING = new OID("1.3.6.1.2.1.88.2.0.3");
    private static final OID HOT_TRIGGER = new OID("1.3.6.1.2.1.88.2.1.1.0");
    private static final OID HOT_TARGET_NAME = new OID("1.3.6.1.2.1.88.2.1.2.0");
    private static final OID HOT_OID = new OID("1.3.6.1.2.1.88.2.1.4.0");
    private static final OID HOT_VALUE = new OID("1.3.6.1.2.1.88.2.1.5.0");

    private final List<Rule> rules = new ArrayList<>();
    private final TableViews views;
    /** The views of every context but the default one, by namespace inode. */
    private final Supplier<Map<Long, TableViews>> namespaceViews;
    private final long ownNetns;
    private final Notifier notifier;
    private final ScheduledExecutorService scheduler;

    /** One rule with its trigger state, rate limit and counts. */
    private static final class Rule {
        final MonitorRule config;
        final Trigger trigger;
        final RateLimit limit;
        long fired;
        long sent;

        Rule(MonitorRule config, int perSecond) {
            this.config = config;
            this.trigger = new Trigger(config);
            this.limit = new RateLimit("monitor '" + config.name() + "' rate limit", perSecond);
        }
    }

    public EventMonitor(List<MonitorRule> rules, int perRulePerSecond, TableViews views,
                 Supplier<Map<Long, TableViews>> namespaceViews, long ownNetns, Notifier notifier,
                 EstatsControls controls) {
        this.views = views;
        this.namespaceViews = namespaceViews;
        this.ownNetns = ownNetns;
        this.notifier = notifier;
        for (MonitorRule r : rules) {
            this.rules.add(new Rule(r, perRulePerSecond));
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("estats-monitor").daemon()
                .factory());
        for (Rule rule : this.rules) {
            scheduler.scheduleAtFixedRate(() -> run(rule), 0, rule.config.frequencySeconds(), TimeUnit.SECONDS);
            LOG.info("monitor '{}': {}{} every {} s", rule.config.name(), rule.config.delta() ? "delta of " : "",
                    rule.config.variable().name() + (rule.config.wildcard() ? "" : "." + rule.config.instance()),
                    rule.config.frequencySeconds());
            Control control = rule.config.variable().table().control();
            if (control != null && !controls.on(control)) {
                LOG.warn("monitor '{}': {} has no rows while {} is false; set '{} true' to watch it",
                        rule.config.name(), rule.config.variable().table().tableName(), control.mibName(),
                        control.mibName());
            }
        }
    }

    private void run(Rule rule) {
        try {
            sample(rule);
        } catch (RuntimeException e) {
            // a failed sample must not end the rule's schedule
            LOG.error("monitor '{}': sample failed: {}", rule.config.name(), e.toString(), e);
        }
    }

    /** A row that a sample read: its context's views and the row itself. */
    private record Sampled(long netns, StoreRow row, ValueContext context) {
    }

    /**
     * Samples the rule's column in every context it watches. Trigger state is kept per
     * namespace and instance: the key is the namespace inode followed by the row's index.
     */
    private void sample(Rule rule) {
        MonitorRule config = rule.config;
        Map<Long, TableViews> contexts = new LinkedHashMap<>();
        contexts.put(ownNetns, views);
        if (config.wildcard()) {
            contexts.putAll(namespaceViews.get());
            // one pass of every namespace, not one per context
            views.refreshEveryNamespace();
        }
        Map<OID, Long> values = new LinkedHashMap<>();
        Map<OID, Sampled> rows = new LinkedHashMap<>();
        contexts.forEach((netns, contextViews) -> {
            contextViews.refresh();
            TableViews.View view = contextViews.view(config.variable().table());
            for (int i = 0; i < view.rows().length; i++) {
                OID index = view.indexes()[i];
                if (!config.wildcard() && !index.equals(config.instance())) {
                    continue;
                }
                long value = config.variable().value().read(view.rows()[i], view.context());
                if (value != RowValue.ABSENT) {
                    OID key = new OID(new int[]{(int) (long) netns});
                    key.append(index);
                    values.put(key, value);
                    rows.put(key, new Sampled(netns, view.rows()[i], view.context()));
                }
            }
        });
        for (Trigger.Event event : rule.trigger.sample(values)) {
            rule.fired++;
            Sampled sampled = rows.get(event.instance());
            OctetString context = notifier.context(sampled.netns());
            OID index = new OID(event.instance().getValue(), 1, event.instance().size() - 1);
            if (rule.limit.tryAcquire() && notifier.send(trap(event.kind()), context,
                    varbinds(config, event, index, context, sampled))) {
                rule.sent++;
            }
        }
    }

    private static OID trap(Trigger.Kind kind) {
        return switch (kind) {
            case RISING -> TRIGGER_RISING;
            case FALLING -> TRIGGER_FALLING;
            case FIRED -> TRIGGER_FIRED;
        };
    }

    private static VariableBinding[] varbinds(MonitorRule config, Trigger.Event event, OID index,
                                              OctetString contextName, Sampled sampled) {
        StoreRow row = sampled.row();
        ValueContext context = sampled.context();
        List<VariableBinding> vbs = new ArrayList<>();
        OID hot = config.variable().oid();
        hot.append(index);
        vbs.add(new VariableBinding(HOT_TRIGGER, new OctetString(config.name())));
        vbs.add(new VariableBinding(HOT_TARGET_NAME, new OctetString()));
        vbs.add(new VariableBinding(Notifier.HOT_CONTEXT_NAME, contextName));
        vbs.add(new VariableBinding(HOT_OID, hot));
        // mteHotValue is an Integer32
        vbs.add(new VariableBinding(HOT_VALUE, new Integer32((int) Math.clamp(event.value(), Integer.MIN_VALUE,
                Integer.MAX_VALUE))));
        for (MibVariable extra : config.extras()) {
            long value = extra.value().read(row, context);
            if (value != RowValue.ABSENT) {
                OID oid = extra.oid();
                oid.append(Indexes.of(extra.table().indexKind(), row));
                vbs.add(new VariableBinding(oid, extra.type().toVariable(value)));
            }
        }
        return vbs.toArray(VariableBinding[]::new);
    }

    /** Stops sampling and logs each rule's counts. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Rule rule : rules) {
            LOG.info("monitor '{}': {} fired, {} sent, {} suppressed by the rate limits", rule.config.name(),
                    rule.fired, rule.sent, rule.fired - rule.sent);
        }
    }
}
