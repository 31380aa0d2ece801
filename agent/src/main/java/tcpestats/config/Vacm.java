package tcpestats.config;

import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;

import java.util.List;

/**
 * Who may read and write what: the community mapping of RFC 3584 and the view-based access
 * control of RFC 3415, as snmpd.conf's {@code com2sec}, {@code group}, {@code access} and
 * {@code view} directives build them. {@code rocommunity}, {@code rwcommunity}, {@code rouser}
 * and {@code rwuser} are shorthands that the parser expands into the same entries.
 */
public record Vacm(List<CommunityMapping> communities, List<GroupMember> groups, List<Access> accesses,
                   List<ViewFamily> views) {
    public Vacm {
        communities = List.copyOf(communities);
        groups = List.copyOf(groups);
        accesses = List.copyOf(accesses);
        views = List.copyOf(views);
    }

    /** Security models as snmpd.conf names them; {@code ANY} only in access entries. */
    public enum Model { ANY, V1, V2C, USM }

    /** The lowest security level an access entry accepts. */
    public enum Level { NOAUTH, AUTH, PRIV }

    /**
     * {@code com2sec [-Cn CONTEXT] SECNAME SOURCE COMMUNITY}: requests with COMMUNITY from SOURCE act as
     * SECNAME, in CONTEXT.
     *
     * @param source  allowed sources, or null for any ("default")
     * @param context the context the community's requests address ("" the default one)
     */
    public record CommunityMapping(String community, String securityName, SourceNetwork source, String context) {
        public CommunityMapping(String community, String securityName, SourceNetwork source) {
            this(community, securityName, source, "");
        }
    }

    /** {@code group GROUP MODEL SECNAME}. */
    public record GroupMember(String group, Model model, String securityName) {
    }

    /**
     * {@code access GROUP CONTEXT MODEL LEVEL exact|prefix READ WRITE NOTIFY}; an empty view name is "none".
     * The notify view is not kept: notifications go to the trap2sink/trapsess targets.
     *
     * @param context       the context name, or its prefix; "" (written {@code ""}) is the default context
     * @param contextPrefix true for {@code prefix}: every context whose name starts with {@code context}
     */
    public record Access(String group, Model model, Level level, String readView, String writeView, String context,
                         boolean contextPrefix) {
        /** An access to the default context only. */
        public Access(String group, Model model, Level level, String readView, String writeView) {
            this(group, model, level, readView, writeView, "", false);
        }
    }

    /** {@code view NAME included|excluded SUBTREE [MASK]}; an empty mask matches the whole subtree. */
    public record ViewFamily(String view, OID subtree, OctetString mask, boolean included) {
    }
}
