package tcpestats.notify;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.snmp4j.agent.AgentConfigManager;
import org.snmp4j.agent.mo.snmp.SnmpNotificationMIB;
import org.snmp4j.agent.mo.snmp.StorageType;
import org.snmp4j.agent.mo.snmp.TransportDomains;
import org.snmp4j.agent.mo.snmp.VacmMIB;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.security.AuthHMAC128SHA224;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthHMAC256SHA384;
import org.snmp4j.security.AuthHMAC384SHA512;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.PrivAES192;
import org.snmp4j.security.PrivAES256;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UnsignedInteger32;
import org.snmp4j.smi.VariableBinding;
import tcpestats.collect.Control;
import tcpestats.collect.SocketRecord;
import tcpestats.config.NotificationTarget;
import tcpestats.mib.Indexes;
import tcpestats.mib.Registry;
import tcpestats.store.EstatsControls;
import tcpestats.store.EstatsStore;

import java.net.Inet4Address;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import tcpestats.snmp.NamespaceContexts;

/**
 * Sends notifications to the configured targets: tcpEStatsEstablishNotification and
 * tcpEStatsCloseNotification (varbind: the connection's tcpEStatsConnectIndex) while
 * tcpEStatsControlNotify is true, and those of the monitor rules. A notification about
 * another network namespace's connection is sent in its context (the contextName of an
 * SNMPv3 notification) and also names it in a mteHotContextName varbind, which SNMPv2c
 * notifications have no other place for. All together at most
 * {@code ratePerSecond} a second: a SYN flood must not turn the agent into a trap
 * cannon. What the limit holds back is counted and logged.
 */
public final class Notifier implements EstatsStore.Listener {
    private static final Logger LOG = LogManager.getLogger(Notifier.class);
    static final OID ESTABLISH = new OID("1.3.6.1.2.1.156.0.1");
    static final OID CLOSE = new OID("1.3.6.1.2.1.156.0.2");
    private static final OID CONNECT_INDEX = Registry.named("tcpEStatsConnectIndex").oid();
    /** DISMAN-EVENT-MIB mteHotContextName.0 (RFC 2981). */
    static final OID HOT_CONTEXT_NAME = new OID("1.3.6.1.2.1.88.2.1.3.0");
    private static final String TRAP_TAG = "estats-trap";
    private static final String INFORM_TAG = "estats-inform";
    private static final String NOTIFY_VIEW = "estats-notify";

    private final AgentConfigManager manager;
    private final EstatsControls controls;
    private final long ownNetns;
    private final NamespaceContexts namespaceContexts;
    private final RateLimit limit;
    private final AtomicLong sent = new AtomicLong();

    public Notifier(AgentConfigManager manager, OctetString engineId, List<NotificationTarget> targets,
             EstatsControls controls, int ratePerSecond, long ownNetns, NamespaceContexts namespaceContexts) {
        this.manager = manager;
        this.ownNetns = ownNetns;
        this.namespaceContexts = namespaceContexts;
        this.controls = controls;
        this.limit = new RateLimit("notification rate limit", ratePerSecond);
        SnmpNotificationMIB notify = manager.getSnmpNotificationMIB();
        notify.addNotifyEntry(new OctetString("trap"), new OctetString(TRAP_TAG),
                SnmpNotificationMIB.SnmpNotifyTypeEnum.trap, StorageType.readOnly);
        notify.addNotifyEntry(new OctetString("inform"), new OctetString(INFORM_TAG),
                SnmpNotificationMIB.SnmpNotifyTypeEnum.inform, StorageType.readOnly);
        manager.getVacmMIB().addViewTreeFamily(new OctetString(NOTIFY_VIEW), new OID("1.3.6.1"), new OctetString(),
                VacmMIB.vacmViewIncluded, StorageType.readOnly);
        int n = 0;
        for (NotificationTarget t : targets) {
            n++;
            add(n, t, engineId);
        }
    }

    private void add(int n, NotificationTarget t, OctetString engineId) {
        OctetString name = new OctetString("target" + n);
        OctetString params = new OctetString("params" + n);
        byte[] ip = t.host().getAddress();
        byte[] address = new byte[ip.length + 2];
        System.arraycopy(ip, 0, address, 0, ip.length);
        address[ip.length] = (byte) (t.port() >> 8);
        address[ip.length + 1] = (byte) t.port();
        manager.getSnmpTargetMIB().addTargetAddress(name,
                t.host() instanceof Inet4Address ? TransportDomains.transportDomainUdpIpv4
                        : TransportDomains.transportDomainUdpIpv6,
                new OctetString(address), 200, 2, new OctetString(t.inform() ? INFORM_TAG : TRAP_TAG), params,
                StorageType.readOnly);
        int model;
        int level;
        OctetString securityName;
        if (t.version() == 2) {
            // without snmpCommunityTable mapping, SNMP4J sends the security name as the community
            securityName = new OctetString(t.community());
            model = SecurityModel.SECURITY_MODEL_SNMPv2c;
            level = SecurityLevel.NOAUTH_NOPRIV;
            manager.getSnmpTargetMIB().addTargetParams(params, MPv2c.ID, model, securityName, level,
                    StorageType.readOnly);
        } else {
            NotificationTarget.V3User u = t.user();
            securityName = new OctetString(u.name());
            model = SecurityModel.SECURITY_MODEL_USM;
            level = switch (u.level()) {
                case "authPriv" -> SecurityLevel.AUTH_PRIV;
                case "authNoPriv" -> SecurityLevel.AUTH_NOPRIV;
                default -> SecurityLevel.NOAUTH_NOPRIV;
            };
            boolean auth = level != SecurityLevel.NOAUTH_NOPRIV;
            boolean priv = level == SecurityLevel.AUTH_PRIV;
            // traps are sent by the agent as the authoritative engine: keys localized with its engine ID
            manager.getUsm().addUser(new UsmUser(securityName, auth ? authProtocol(u.authProtocol()) : null,
                    auth ? new OctetString(u.authPassphrase()) : null, priv ? privProtocol(u.privProtocol()) : null,
                    priv ? new OctetString(u.privPassphrase()) : null), engineId);
            manager.getSnmpTargetMIB().addTargetParams(params, MPv3.ID, model, securityName, level,
                    StorageType.readOnly);
        }
        OctetString group = new OctetString("notify-" + securityName);
        manager.getVacmMIB().addGroup(model, securityName, group, StorageType.readOnly);
        // notifications are sent in the context of the namespace they are about: all of them
        manager.getVacmMIB().addAccess(group, new OctetString(), model, level, VacmMIB.vacmPrefixMatch,
                new OctetString(), new OctetString(), new OctetString(NOTIFY_VIEW), StorageType.readOnly);
        LOG.info("notifications to {}:{} ({}{})", t.host().getHostAddress(), t.port(),
                t.version() == 2 ? "SNMPv2c" : "SNMPv3 user " + t.user(), t.inform() ? ", informs" : "");
    }

    public static OID authProtocol(String name) {
        return switch (name) {
            case "SHA-224" -> AuthHMAC128SHA224.ID;
            case "SHA-384" -> AuthHMAC256SHA384.ID;
            case "SHA-512" -> AuthHMAC384SHA512.ID;
            default -> AuthHMAC192SHA256.ID;
        };
    }

    public static OID privProtocol(String name) {
        return switch (name) {
            case "AES-192" -> PrivAES192.ID;
            case "AES-256" -> PrivAES256.ID;
            default -> PrivAES128.ID;
        };
    }

    @Override
    public void established(long connectIndex, SocketRecord record) {
        lifecycle(ESTABLISH, connectIndex, record);
    }

    @Override
    public void closed(long connectIndex, SocketRecord record) {
        lifecycle(CLOSE, connectIndex, record);
    }

    public long suppressed() {
        return limit.suppressed();
    }

    public long sent() {
        return sent.get();
    }

    private void lifecycle(OID trap, long connectIndex, SocketRecord record) {
        if (!controls.on(Control.NOTIFY)) {
            return;
        }
        OID instance = new OID(CONNECT_INDEX);
        instance.append(Indexes.connection(record.local(), record.remote()));
        OctetString context = context(record.netns());
        VariableBinding index = new VariableBinding(instance, new UnsignedInteger32(connectIndex));
        send(trap, context, context.length() == 0 ? new VariableBinding[]{index}
                : new VariableBinding[]{index, new VariableBinding(HOT_CONTEXT_NAME, context)});
    }

    /** The SNMP context of a network namespace, which exists once this returns: "" for the agent's own, else netns:INODE. */
    OctetString context(long netns) {
        if (netns == ownNetns) {
            return new OctetString();
        }
        namespaceContexts.ensure(netns);
        return NamespaceContexts.name(netns);
    }

    /**
     * Sends a notification in {@code context} to every target unless the agent-wide rate limit is reached.
     *
     * @return false when the rate limit suppressed it
     */
    boolean send(OID trap, OctetString context, VariableBinding[] varbinds) {
        if (!limit.tryAcquire()) {
            return false;
        }
        manager.getAgentNotificationOriginator().notify(context, trap, varbinds);
        sent.incrementAndGet();
        return true;
    }
}
