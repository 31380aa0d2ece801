package tcpestats.agent;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.config.Configurator;
import org.snmp4j.MessageDispatcher;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.SNMP4JSettings;
import org.snmp4j.agent.AgentConfigManager;
import org.snmp4j.agent.CommandProcessor;
import org.snmp4j.agent.DefaultMOServer;
import org.snmp4j.agent.DuplicateRegistrationException;
import org.snmp4j.agent.MOServer;
import org.snmp4j.agent.mo.MOMutableTableModel;
import org.snmp4j.agent.mo.snmp.SnmpCommunityMIB;
import org.snmp4j.agent.mo.snmp.StorageType;
import org.snmp4j.agent.mo.snmp.TransportDomains;
import org.snmp4j.agent.mo.snmp.VacmMIB;
import org.snmp4j.cfg.EngineBootsCounterFile;
import org.snmp4j.cfg.EngineBootsProvider;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.transport.DefaultUdpTransportMapping;
import tcpestats.config.AgentAddress;
import tcpestats.config.AgentConfig;
import tcpestats.config.MonitorRule;
import tcpestats.config.SnmpUser;
import tcpestats.config.SourceNetwork;
import tcpestats.config.Vacm;
import tcpestats.collect.KernelFeatures;
import tcpestats.collect.NetworkNamespaces;
import tcpestats.mib.MibVariable;
import tcpestats.store.EstatsControls;
import tcpestats.store.EstatsStore;

import java.io.File;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import tcpestats.snmp4j.CompiledViews;
import tcpestats.snmp4j.LengthCachingPdus;
import tcpestats.snmp4j.WalkingCommandProcessor;
import tcpestats.notify.EventMonitor;
import tcpestats.notify.Notifier;
import tcpestats.snmp.ConnectionTuner;
import tcpestats.snmp.NamespaceContexts;
import tcpestats.snmp.EstatsScalars;
import tcpestats.snmp.RegistryTables;
import tcpestats.snmp.TableViews;

/**
 * The SNMP side: an SNMP4J-Agent master agent serving SNMPv2-MIB, TCP-MIB
 * tcpConnectionTable and the TCP-ESTATS-MIB tables built from the registry, with the
 * communities of the configuration mapped onto SNMP-COMMUNITY-MIB and VACM.
 */
public final class EstatsAgent implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(EstatsAgent.class);
    /** The largest UDP payload over IPv4 (65535 - 8 - 20). */
    private static final int MAX_UDP_PAYLOAD = 65_507;

    private final AgentConfigManager manager;
    private final RegistryTables tables;
    private final EstatsScalars scalars;
    private final MOServer server;

    private final Notifier notifier;
    private final EventMonitor monitor;
    private final NamespaceContexts namespaceContexts;
    private final ScheduledExecutorService contextWatch;

    private EstatsAgent(AgentConfigManager manager, RegistryTables tables, EstatsScalars scalars,
                        MOServer server, Notifier notifier, EventMonitor monitor, NamespaceContexts namespaceContexts,
                        ScheduledExecutorService contextWatch) {
        this.namespaceContexts = namespaceContexts;
        this.contextWatch = contextWatch;
        this.notifier = notifier;
        this.monitor = monitor;
        this.manager = manager;
        this.tables = tables;
        this.scalars = scalars;
        this.server = server;
    }

    /** How often the agent looks for network namespaces that appeared or went. */
    private static final long CONTEXT_WATCH_MILLIS = 2000;

    /**
     * Binds the configured addresses and starts answering requests: the default context
     * serves the agent's own network namespace, a context {@code netns:INODE} each other one.
     *
     * @param features what the running kernel provides: objects that need more are not served
     * @param ownNetns the inode of the agent's network namespace
     */
    public static EstatsAgent start(AgentConfig config, EstatsStore store, EstatsControls controls,
                                    ConnectionTuner tuner, KernelFeatures features, long ownNetns)
            throws AgentStartException {
        // RFC 3414 sends unknown-user, wrong-digest and unknown-engine reports without
        // authentication (as net-snmp does): SNMP4J's "standard" strategy tries the request's
        // level, cannot encrypt a report to a user it does not know, and sends nothing
        SNMP4JSettings.setReportSecurityLevelStrategy(SNMP4JSettings.ReportSecurityLevelStrategy.noAuthNoPrivIfNeeded);
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        for (AgentAddress address : config.addresses()) {
            try {
                DefaultUdpTransportMapping udp = new DefaultUdpTransportMapping(
                        new UdpAddress(address.host(), address.port()), true);
                // the listen thread decodes and answers each datagram in turn, so one receive
                // buffer serves them all (else a new 64 KB one per datagram)
                udp.setAsyncMsgProcessingSupported(false);
                // GETBULK responses are filled up to this size: SNMP4J's default, 65535, lets one
                // grow past the largest UDP payload, 65507 octets, and then nothing is sent at all
                udp.setMaxInboundMessageSize(MAX_UDP_PAYLOAD);
                dispatcher.addTransportMapping(udp);
            } catch (SocketException e) {
                throw new AgentStartException("cannot listen on " + address + ": " + e.getMessage()
                        + (address.port() < 1024 ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE)" : ""));
            }
        }
        OctetString engineId;
        EngineBootsProvider boots;
        if (config.persistentDir().isPresent()) {
            // RFC 3414: the engine ID stays and snmpEngineBoots grows across restarts
            File state = stateFile(config.persistentDir().get());
            boolean firstStart = !state.exists();
            String snmp4jLogger = EngineBootsCounterFile.class.getName();
            Level level = LogManager.getLogger(snmp4jLogger).getLevel();
            if (firstStart) {
                // SNMP4J warns that the file it is about to create is missing: the normal first start
                LOG.info("first start with persistentDir: snmpEngineID and snmpEngineBoots are kept in {}", state);
                Configurator.setLevel(snmp4jLogger, Level.ERROR);
            }
            try {
                EngineBootsCounterFile file = new EngineBootsCounterFile(state);
                engineId = file.getEngineId(new OctetString(MPv3.createLocalEngineID()));
                boots = file;
            } finally {
                if (firstStart) {
                    Configurator.setLevel(snmp4jLogger, level);
                }
            }
        } else {
            engineId = new OctetString(MPv3.createLocalEngineID(new OctetString("tcp-estats-agent")));
            boots = new VolatileEngineBoots();
            if (!config.users().isEmpty()) {
                LOG.warn("SNMPv3 users without persistentDir: snmpEngineBoots restarts at 1 with every start, "
                        + "which managers may refuse; set 'persistentDir /var/lib/tcp-estats-agent'");
            }
        }
        DefaultMOServer server = new DefaultMOServer();
        // no worker pool: each request is answered on the thread that received it, as snmpd does.
        // Handing it to a worker cost a thread wake-up and a fifth of the CPU of a walk, and a
        // request waits anyway for the kernel pass another one started.
        AgentConfigManager manager = new AgentConfigManager(engineId, dispatcher, null, new MOServer[]{server},
                null, null, null, boots) {
            /**
             * As SNMP4J-Agent's, with GETBULK responses that check only their newest varbinds' lengths
             * and continue a walk within one of our tables without a lookup per varbind.
             */
            @Override
            protected CommandProcessor createCommandProcessor(OctetString contextEngineId) {
                return new WalkingCommandProcessor(contextEngineId, RegistryTables.CONTINUATION);
            }

            /** As SNMP4J-Agent's, with requests decoded into PDUs that size GETBULK responses cheaply. */
            @Override
            protected void initMessageDispatcherWithMPs(MessageDispatcher mp) {
                mp.addMessageProcessingModel(new MPv1());
                mp.addMessageProcessingModel(new MPv2c(LengthCachingPdus.V2C));
                mp.addMessageProcessingModel(new MPv3(engineID.getValue(), LengthCachingPdus.V3, securityProtocols,
                        securityModels, counterSupport));
            }
        };
        manager.setContext(new SecurityModels(),
                new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.defaultSecurity), new CounterSupport());
        manager.getSysDescr().setValue(config.sysDescr().orElse(
                "tcp-estats-agent: RFC 4898 TCP extended statistics for Linux " + System.getProperty("os.version")));
        manager.initialize();
        manager.getCommandProcessor().setVacm(CompiledViews.of(manager.getVacmMIB(),
                server.getManagedObject(VacmMIB.vacmViewTreeFamilyEntryOID, null)));
        config.sysContact().ifPresent(v -> manager.getSNMPv2MIB().setContact(new OctetString(v)));
        config.sysName().ifPresent(v -> manager.getSNMPv2MIB().setName(new OctetString(v)));
        config.sysLocation().ifPresent(v -> manager.getSNMPv2MIB().setLocation(new OctetString(v)));

        // sysUpTime counts from System.nanoTime() at its creation; TimeStamps are relative to it
        long uptimeOrigin = System.nanoTime() - manager.getSysUpTime().get().toMilliseconds() * 1_000_000L;
        TableViews views = new TableViews(store, controls, TimeUnit.MILLISECONDS.toNanos(config.snapshotMaxAgeMillis()),
                uptimeOrigin, ownNetns);
        RegistryTables tables = new RegistryTables(views, controls, store, tuner, features);
        EstatsScalars scalars = new EstatsScalars(controls, views);
        try {
            tables.register(server, null);
            scalars.register(server, null);
        } catch (DuplicateRegistrationException e) {
            throw new IllegalStateException("a table is registered twice: " + e.getMessage(), e);
        }
        addAccessControl(manager, engineId, config.vacm());
        addUsers(manager, engineId, config);
        NamespaceContexts namespaceContexts = new NamespaceContexts(server, views, controls, store, tuner, features,
                NetworkNamespaces.host(), ownNetns);
        Notifier notifier = new Notifier(manager, engineId, config.targets(), controls, config.notificationRateLimit(),
                ownNetns, namespaceContexts);
        store.addListener(notifier);
        manager.run();
        EventMonitor monitor = new EventMonitor(providedMonitors(config.monitors(), features),
                config.monitorRateLimit(), views, namespaceContexts::views, ownNetns, notifier, controls);
        ScheduledExecutorService contextWatch = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("estats-contexts").unstarted(r));
        contextWatch.scheduleWithFixedDelay(() -> {
            try {
                namespaceContexts.update();
            } catch (RuntimeException e) {
                LOG.warn("cannot update the network namespace contexts: {}", e.getMessage());
            }
        }, CONTEXT_WATCH_MILLIS, CONTEXT_WATCH_MILLIS, TimeUnit.MILLISECONDS);
        EstatsAgent agent = new EstatsAgent(manager, tables, scalars, server, notifier, monitor,
                namespaceContexts, contextWatch);
        for (AgentAddress address : config.addresses()) {
            LOG.info("listening on {}", address);
        }
        return agent;
    }

    /** The monitor rules whose objects this kernel provides; the others are logged and left out. */
    private static List<MonitorRule> providedMonitors(List<MonitorRule> rules, KernelFeatures features) {
        List<MonitorRule> provided = new ArrayList<>();
        for (MonitorRule rule : rules) {
            List<MibVariable> missing = new ArrayList<>();
            List<MibVariable> used = new ArrayList<>(rule.extras());
            used.add(rule.variable());
            for (MibVariable v : used) {
                if (!v.servedWith(features)) {
                    missing.add(v);
                }
            }
            if (missing.isEmpty()) {
                provided.add(rule);
            } else {
                LOG.error("monitor {} is off: this kernel does not provide {}", rule.name(), missing.stream()
                        .map(v -> v.name() + " (needs " + v.needs().need() + ")").collect(Collectors.joining(", ")));
            }
        }
        return provided;
    }

    /** The communities (RFC 3584, with source filtering) and the VACM groups, accesses and views. */
    private static void addAccessControl(AgentConfigManager manager, OctetString engineId, Vacm access) {
        SnmpCommunityMIB communityMib = manager.getSnmpCommunityMIB();
        int n = 0;
        for (Vacm.CommunityMapping c : access.communities()) {
            n++;
            OctetString tag = new OctetString();
            if (c.source() != null) {
                tag = new OctetString("source" + n);
                addSourceFilter(manager, communityMib, tag, c.source());
            }
            communityMib.addSnmpCommunityEntry(new OctetString("c" + n), new OctetString(c.community()),
                    new OctetString(c.securityName()), engineId, new OctetString(c.context()), tag,
                    StorageType.readOnly);
        }
        VacmMIB vacm = manager.getVacmMIB();
        for (Vacm.GroupMember g : access.groups()) {
            vacm.addGroup(securityModel(g.model()), new OctetString(g.securityName()), new OctetString(g.group()),
                    StorageType.readOnly);
        }
        for (Vacm.Access a : access.accesses()) {
            // VACM picks the entry whose level is at most the request's: lower levels are refused
            int level = switch (a.level()) {
                case NOAUTH -> SecurityLevel.NOAUTH_NOPRIV;
                case AUTH -> SecurityLevel.AUTH_NOPRIV;
                case PRIV -> SecurityLevel.AUTH_PRIV;
            };
            vacm.addAccess(new OctetString(a.group()), new OctetString(a.context()), securityModel(a.model()), level,
                    a.contextPrefix() ? VacmMIB.vacmPrefixMatch : VacmMIB.vacmExactMatch,
                    new OctetString(a.readView()), new OctetString(a.writeView()), new OctetString(),
                    StorageType.readOnly);
        }
        for (Vacm.ViewFamily v : access.views()) {
            vacm.addViewTreeFamily(new OctetString(v.view()), v.subtree(), v.mask(),
                    v.included() ? VacmMIB.vacmViewIncluded : VacmMIB.vacmViewExcluded, StorageType.readOnly);
        }
        if (access.accesses().isEmpty()) {
            LOG.warn("no community, user or access line is configured: every request will be refused");
        }
    }

    private static int securityModel(Vacm.Model model) {
        return switch (model) {
            case ANY -> SecurityModel.SECURITY_MODEL_ANY;
            case V1 -> SecurityModel.SECURITY_MODEL_SNMPv1;
            case V2C -> SecurityModel.SECURITY_MODEL_SNMPv2c;
            case USM -> SecurityModel.SECURITY_MODEL_USM;
        };
    }

    /** The engine ID and boots file in {@code dir}, which is created if needed. */
    private static File stateFile(Path dir) throws AgentStartException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new AgentStartException("persistentDir " + dir + " cannot be created: " + e.getMessage());
        }
        if (!Files.isWritable(dir)) {
            throw new AgentStartException("persistentDir " + dir + " is not writable by this user");
        }
        return dir.resolve("estats-agent-engine.bc").toFile();
    }

    /** createUser users in the USM, localized to this engine. */
    private static void addUsers(AgentConfigManager manager, OctetString engineId, AgentConfig config) {
        for (SnmpUser u : config.users()) {
            boolean priv = u.privProtocol() != null;
            manager.getUsm().addUser(new UsmUser(new OctetString(u.name()), Notifier.authProtocol(u.authProtocol()),
                    new OctetString(u.authPassphrase()), priv ? Notifier.privProtocol(u.privProtocol()) : null,
                    priv ? new OctetString(u.privPassphrase()) : null), engineId);
            LOG.info("SNMPv3 user {}", u);
            if (u.hasExamplePassphrase()) {
                LOG.warn("createUser {}: a passphrase is the example one of conf/estats-agent.conf; choose your own",
                        u.name());
            }
        }
    }

    /** RFC 3584 source filtering: a target address with a transport mask, tagged for the community. */
    private static void addSourceFilter(AgentConfigManager manager, SnmpCommunityMIB communityMib, OctetString tag,
                                        SourceNetwork source) {
        byte[] address = source.network().getAddress();
        byte[] tAddress = new byte[address.length + 2];
        System.arraycopy(address, 0, tAddress, 0, address.length);
        byte[] tMask = new byte[address.length + 2];
        System.arraycopy(source.mask(), 0, tMask, 0, address.length);
        OID domain = source.network() instanceof Inet4Address
                ? TransportDomains.transportDomainUdpIpv4 : TransportDomains.transportDomainUdpIpv6;
        manager.getSnmpTargetMIB().addTargetAddress(tag, domain, new OctetString(tAddress), 0, 0, tag,
                new OctetString(), StorageType.readOnly);
        @SuppressWarnings("unchecked")
        MOMutableTableModel<SnmpCommunityMIB.SnmpTargetAddrExtEntryRow> ext =
                (MOMutableTableModel<SnmpCommunityMIB.SnmpTargetAddrExtEntryRow>)
                        communityMib.getSnmpTargetAddrExtEntry().getModel();
        OID index = tag.toSubIndex(true);
        ext.addRow(communityMib.new SnmpTargetAddrExtEntryRowFactory().createRow(index,
                new Variable[]{new OctetString(tMask), new Integer32(65535)}));
        communityMib.setSourceAddressFiltering(true);
    }

    /** Stops answering, waits for requests in progress, releases the ports and threads. */
    @Override
    public void close() {
        contextWatch.shutdownNow();
        monitor.close();
        namespaceContexts.close();
        tables.unregister(server, null);
        scalars.unregister(server, null);
        manager.shutdown();
        LOG.info("notifications: {} sent, {} suppressed by the rate limit", notifier.sent(), notifier.suppressed());
    }

    /**
     * snmpEngineBoots without persistentDir: nothing is persisted, the engine boots once.
     */
    private static final class VolatileEngineBoots implements EngineBootsProvider {
        private int boots;

        @Override
        public synchronized int updateEngineBoots() {
            return ++boots;
        }

        @Override
        public synchronized int getEngineBoots() {
            return boots;
        }
    }

    /** The agent could not start; the message says why in one line. */
    public static final class AgentStartException extends IOException {
        public AgentStartException(String message) {
            super(message);
        }
    }
}
