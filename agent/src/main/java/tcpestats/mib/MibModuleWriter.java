package tcpestats.mib;

import tcpestats.collect.Control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the TCP-ESTATS-MIB module (mib/TCP-ESTATS-MIB.txt) from the registry: the
 * names, OIDs, syntax, access, indexes and conformance groups of RFC 4898, with
 * descriptions that say where Linux gets each value.
 */
public final class MibModuleWriter {
    private static final String INDENT = "            ";

    /** Table number under tcpEStats, what a row is, and how it is indexed. */
    private record TableText(MibTable table, int arc, String about, String index) {
    }

    private static final List<TableText> TABLES = List.of(
            new TableText(MibTable.LISTENER, 1, "Statistics of each listening TCP endpoint, one row per row of "
                    + "TCP-MIB's tcpListenerTable.", "AUGMENTS { tcpListenerEntry }"),
            new TableText(MibTable.CONNECT_ID, 2, "The tcpEStatsConnectIndex of each connection that has a "
                    + "tcp_sock (TIME_WAIT and half-open connections have none), one row per such row of "
                    + "TCP-MIB's tcpConnectionTable.", "AUGMENTS { tcpConnectionEntry }"),
            new TableText(MibTable.PERF, 3, "Performance statistics of each connection.",
                    "INDEX { tcpEStatsConnectIndex }"),
            new TableText(MibTable.PATH, 4, "What each connection observed about its network path.", "INDEX { tcpEStatsConnectIndex }"),
            new TableText(MibTable.STACK, 5, "What each connection's TCP stack negotiated and did.", "INDEX { tcpEStatsConnectIndex }"),
            new TableText(MibTable.APP, 6, "Each connection's sequence numbers and the application's queues.", "INDEX { tcpEStatsConnectIndex }"),
            new TableText(MibTable.TUNE, 7, "The limits in force on each connection.", "INDEX { tcpEStatsConnectIndex }"));

    /** Conformance groups in RFC 4898's order, with their arc under tcpEStatsGroups. */
    private static final List<String> GROUPS = List.of("tcpEStatsListenerGroup", "tcpEStatsListenerHCGroup",
            "tcpEStatsConnectIdGroup", "tcpEStatsPerfGroup", "tcpEStatsPerfOptionalGroup", "tcpEStatsPerfHCGroup",
            "tcpEStatsPathGroup", "tcpEStatsPathOptionalGroup", "tcpEStatsPathHCGroup", "tcpEStatsStackGroup",
            "tcpEStatsStackOptionalGroup", "tcpEStatsAppGroup", "tcpEStatsAppHCGroup", "tcpEStatsAppOptionalGroup",
            "tcpEStatsTuneOptionalGroup", "tcpEStatsNotificationsGroup", "tcpEStatsNotificationsCtlGroup");

    private static final List<String> MANDATORY = List.of("tcpEStatsListenerGroup", "tcpEStatsConnectIdGroup",
            "tcpEStatsPerfGroup", "tcpEStatsPathGroup", "tcpEStatsStackGroup", "tcpEStatsAppGroup");

    private static final Map<String, String> OPTIONAL_GROUP_TEXT = new LinkedHashMap<>();

    static {
        String wrap = "Required where the 32-bit counters of %s can wrap within an hour: any host that can "
                + "move 10 Mb/s can wrap an octet counter that fast.";
        OPTIONAL_GROUP_TEXT.put("tcpEStatsListenerHCGroup", wrap.formatted("tcpEStatsListenerGroup"));
        OPTIONAL_GROUP_TEXT.put("tcpEStatsPerfOptionalGroup", "Optional.");
        OPTIONAL_GROUP_TEXT.put("tcpEStatsPerfHCGroup", wrap.formatted("tcpEStatsPerfGroup"));
        OPTIONAL_GROUP_TEXT.put("tcpEStatsPathOptionalGroup", "Optional.");
        OPTIONAL_GROUP_TEXT.put("tcpEStatsPathHCGroup", wrap.formatted("tcpEStatsPathGroup"));
        OPTIONAL_GROUP_TEXT.put("tcpEStatsStackOptionalGroup", "Optional.");
        OPTIONAL_GROUP_TEXT.put("tcpEStatsAppHCGroup", wrap.formatted("tcpEStatsAppGroup"));
        OPTIONAL_GROUP_TEXT.put("tcpEStatsAppOptionalGroup", "Optional.");
        OPTIONAL_GROUP_TEXT.put("tcpEStatsTuneOptionalGroup", "Optional.");
        OPTIONAL_GROUP_TEXT.put("tcpEStatsNotificationsGroup", "Optional.");
        OPTIONAL_GROUP_TEXT.put("tcpEStatsNotificationsCtlGroup",
                "Required with tcpEStatsNotificationsGroup: it switches the notifications on and off.");
    }

    private static final Map<String, String> DEFVALS = new HashMap<>(Map.of("tcpEStatsConnTableLatency", "0"));

    static {
        for (Control c : Control.values()) {
            DEFVALS.put(c.mibName(), String.valueOf(Control.DEFAULT));
        }
    }

    private final StringBuilder out = new StringBuilder();

    private MibModuleWriter() {
    }

    /** The whole module text. */
    public static String write() {
        MibModuleWriter w = new MibModuleWriter();
        w.header();
        w.tables();
        w.scalars();
        w.notifications();
        w.conformance();
        w.out.append("END\n");
        return w.out.toString();
    }

    private void header() {
        out.append("""
                TCP-ESTATS-MIB DEFINITIONS ::= BEGIN

                -- The TCP Extended Statistics MIB of RFC 4898, as served by tcp-estats-agent on Linux.
                -- Names, OIDs, syntax, access, indexes and groups are RFC 4898's; the descriptions
                -- say where Linux gets each value. Generated from the agent's variable registry.

                IMPORTS
                        MODULE-IDENTITY, OBJECT-TYPE, NOTIFICATION-TYPE, Integer32, Unsigned32,
                        Gauge32, Counter32, mib-2
                                FROM SNMPv2-SMI
                        MODULE-COMPLIANCE, OBJECT-GROUP, NOTIFICATION-GROUP
                                FROM SNMPv2-CONF
                        TEXTUAL-CONVENTION, DateAndTime, TruthValue, TimeStamp
                                FROM SNMPv2-TC
                        ZeroBasedCounter32
                                FROM RMON2-MIB
                        ZeroBasedCounter64
                                FROM HCNUM-TC
                        tcpListenerEntry, tcpConnectionEntry
                                FROM TCP-MIB;

                tcpEStatsMIB MODULE-IDENTITY
                        LAST-UPDATED "202611260000Z"
                        ORGANIZATION "tcp-estats-agent"
                        CONTACT-INFO "The tcp-estats-agent maintainers; see the project's README."
                        DESCRIPTION
                            "Extended statistics of the TCP connections and listeners of a Linux
                            host, gathered with eBPF (iter/tcp, tracepoints, sockops and
                            cgroup_skb programs) and served by tcp-estats-agent. Values read from
                            tcp_sock are exact at any time; values the kernel does not keep are
                            accumulated per socket from the moment the agent first saw it."
                        REVISION "202611260000Z"
                        DESCRIPTION
                            "Descriptions of where Linux gets each value, for tcp-estats-agent."
                        REVISION "200705180000Z"
                        DESCRIPTION
                            "Initial version, published as RFC 4898."
                        ::= { mib-2 156 }

                tcpEStatsNotifications OBJECT IDENTIFIER ::= { tcpEStatsMIB 0 }
                tcpEStatsMIBObjects    OBJECT IDENTIFIER ::= { tcpEStatsMIB 1 }
                tcpEStatsConformance   OBJECT IDENTIFIER ::= { tcpEStatsMIB 2 }
                tcpEStats              OBJECT IDENTIFIER ::= { tcpEStatsMIBObjects 1 }
                tcpEStatsControl       OBJECT IDENTIFIER ::= { tcpEStatsMIBObjects 2 }
                tcpEStatsScalar        OBJECT IDENTIFIER ::= { tcpEStatsMIBObjects 3 }

                TcpEStatsNegotiated ::= TEXTUAL-CONVENTION
                        STATUS       current
                        DESCRIPTION
                            "Whether a TCP option is in use on a connection: enabled when both
                            ends agreed to it, selfDisabled when this host did not offer or
                            accept it, peerDisabled when the peer did not."
                        SYNTAX       INTEGER { enabled(1), selfDisabled(2), peerDisabled(3) }

                """);
    }

    private void tables() {
        for (TableText t : TABLES) {
            String table = t.table().tableName();
            String entry = t.table().entryName();
            String type = Character.toUpperCase(entry.charAt(0)) + entry.substring(1);
            List<MibVariable> columns = Registry.all().stream().filter(v -> v.table() == t.table())
                    .sorted(java.util.Comparator.comparingInt(MibVariable::column)).toList();
            out.append(table).append(" OBJECT-TYPE\n")
                    .append("        SYNTAX      SEQUENCE OF ").append(type).append('\n')
                    .append("        MAX-ACCESS  not-accessible\n")
                    .append("        STATUS      current\n");
            description(t.about() + (t.table().control() == null ? ""
                    : " It has rows only while " + t.table().control().mibName() + " is true."));
            out.append("        ::= { tcpEStats ").append(t.arc()).append(" }\n\n");
            out.append(entry).append(" OBJECT-TYPE\n")
                    .append("        SYNTAX      ").append(type).append('\n')
                    .append("        MAX-ACCESS  not-accessible\n")
                    .append("        STATUS      current\n");
            description("One row of " + table + ".");
            out.append("        ").append(t.index()).append('\n')
                    .append("        ::= { ").append(table).append(" 1 }\n\n");
            out.append(type).append(" ::= SEQUENCE {\n");
            for (int i = 0; i < columns.size(); i++) {
                MibVariable v = columns.get(i);
                out.append("        ").append(pad(v.name(), 40)).append(sequenceType(v.syntax()))
                        .append(i + 1 < columns.size() ? ",\n" : "\n");
            }
            out.append("}\n\n");
            for (MibVariable v : columns) {
                objectType(v, t.table().tableName().replace("Table", "Entry") + " " + v.column());
            }
        }
    }

    private void scalars() {
        for (MibVariable v : Registry.all()) {
            if (v.table() == MibTable.CONTROL) {
                objectType(v, "tcpEStatsControl " + v.column());
            } else if (v.table() == MibTable.SCALAR) {
                objectType(v, "tcpEStatsScalar " + v.column());
            }
        }
    }

    private void objectType(MibVariable v, String parent) {
        out.append(v.name()).append(" OBJECT-TYPE\n")
                .append("        SYNTAX      ").append(v.syntax()).append('\n');
        if (!v.units().isEmpty()) {
            out.append("        UNITS       \"").append(v.units()).append("\"\n");
        }
        out.append("        MAX-ACCESS  ").append(v.access() == Access.READ_ONLY ? "read-only" : "read-write")
                .append('\n')
                .append("        STATUS      current\n");
        String text = v.linux();
        if (!v.deviation().isEmpty()) {
            text += " " + v.deviation();
        }
        if (!v.served()) {
            text += " tcp-estats-agent does not serve this object.";
        } else if (v.needs() != null) {
            text += " Served on Linux " + v.needs().since() + " and newer (it needs " + v.needs().description() + ").";
        }
        description(text);
        if (DEFVALS.containsKey(v.name())) {
            out.append("        DEFVAL      { ").append(DEFVALS.get(v.name())).append(" }\n");
        }
        out.append("        ::= { ").append(parent).append(" }\n\n");
    }

    private void notifications() {
        notification("tcpEStatsEstablishNotification", 1, "A connection entered ESTABLISHED (the sockops "
                + "program's established callbacks); sent while tcpEStatsControlNotify is true.");
        notification("tcpEStatsCloseNotification", 2, "A connection reached CLOSED (the sockops program's "
                + "state callback; for a connection older than the agent, on a kernel before Linux 6.12, the "
                + "inet_sock_set_state tracepoint); sent while tcpEStatsControlNotify is true.");
    }

    private void notification(String name, int arc, String text) {
        out.append(name).append(" NOTIFICATION-TYPE\n")
                .append("        OBJECTS     { tcpEStatsConnectIndex }\n")
                .append("        STATUS      current\n");
        description(text);
        out.append("        ::= { tcpEStatsNotifications ").append(arc).append(" }\n\n");
    }

    private void conformance() {
        out.append("tcpEStatsCompliances OBJECT IDENTIFIER ::= { tcpEStatsConformance 1 }\n")
                .append("tcpEStatsGroups      OBJECT IDENTIFIER ::= { tcpEStatsConformance 2 }\n\n")
                .append("tcpEStatsCompliance MODULE-COMPLIANCE\n")
                .append("        STATUS      current\n");
        description("What a system implementing TCP extended statistics provides.");
        out.append("        MODULE -- this module\n")
                .append("        MANDATORY-GROUPS {\n");
        for (int i = 0; i < MANDATORY.size(); i++) {
            out.append("                ").append(MANDATORY.get(i)).append(i + 1 < MANDATORY.size() ? ",\n" : "\n");
        }
        out.append("        }\n");
        for (Map.Entry<String, String> g : OPTIONAL_GROUP_TEXT.entrySet()) {
            out.append("        GROUP       ").append(g.getKey()).append('\n');
            description(g.getValue());
        }
        out.append("        ::= { tcpEStatsCompliances 1 }\n\n");

        for (int i = 0; i < GROUPS.size(); i++) {
            String group = GROUPS.get(i);
            boolean notifications = group.equals("tcpEStatsNotificationsGroup");
            List<String> members = new ArrayList<>();
            if (notifications) {
                members.addAll(List.of("tcpEStatsEstablishNotification", "tcpEStatsCloseNotification"));
            } else {
                Registry.all().stream().filter(v -> v.group().equals(group))
                        .forEach(v -> members.add(v.name()));
            }
            out.append(group).append(notifications ? " NOTIFICATION-GROUP\n" : " OBJECT-GROUP\n")
                    .append(notifications ? "        NOTIFICATIONS {\n" : "        OBJECTS {\n");
            for (int m = 0; m < members.size(); m++) {
                out.append("                ").append(members.get(m)).append(m + 1 < members.size() ? ",\n" : "\n");
            }
            out.append("        }\n")
                    .append("        STATUS      current\n");
            description("The objects of " + group + ".");
            out.append("        ::= { tcpEStatsGroups ").append(i + 1).append(" }\n\n");
        }
    }

    private void description(String text) {
        out.append("        DESCRIPTION\n");
        List<String> lines = wrap(text.replace('"', '\''), 64);
        for (int i = 0; i < lines.size(); i++) {
            out.append(INDENT).append(i == 0 ? "\"" : " ").append(lines.get(i))
                    .append(i + 1 == lines.size() ? "\"" : "").append('\n');
        }
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    private static String sequenceType(String syntax) {
        if (syntax.startsWith("OCTET STRING")) {
            return "OCTET STRING";
        }
        return syntax.split("[ (]")[0];
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}
