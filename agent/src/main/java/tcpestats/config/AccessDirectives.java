package tcpestats.config;

import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import tcpestats.config.Vacm.Access;
import tcpestats.config.Vacm.CommunityMapping;
import tcpestats.config.Vacm.GroupMember;
import tcpestats.config.Vacm.Level;
import tcpestats.config.Vacm.Model;
import tcpestats.config.Vacm.ViewFamily;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The access control directives of snmpd.conf(5): {@code com2sec}, {@code group}, {@code access},
 * {@code view} and their shorthands {@code rocommunity}, {@code rwcommunity}, {@code rouser},
 * {@code rwuser}. References between lines (a group's members, an access entry's group and views)
 * are checked once the whole file is read, so directives may come in any order.
 */
final class AccessDirectives {
    static final Set<String> DIRECTIVES = Set.of("rocommunity", "rocommunity6", "rwcommunity", "rwcommunity6",
            "com2sec", "com2sec6", "group", "access", "view", "rouser", "rwuser");
    private static final Pattern NUMERIC_OID = Pattern.compile("\\.?\\d+(\\.\\d+)*");
    private static final Pattern MASK = Pattern.compile("(0x)?[0-9a-fA-F]{1,2}([.:]?[0-9a-fA-F]{2})*");

    private final String file;
    private int line;
    private final List<CommunityMapping> communities = new ArrayList<>();
    private final List<GroupMember> groups = new ArrayList<>();
    private final List<Access> accesses = new ArrayList<>();
    private final List<ViewFamily> views = new ArrayList<>();
    /** Where each reference was made, checked by {@link #build}. */
    private final Map<GroupMember, Integer> memberLines = new LinkedHashMap<>();
    private final Map<String, Integer> groupReferences = new LinkedHashMap<>();
    private final Map<String, Integer> viewReferences = new LinkedHashMap<>();
    private final Map<String, Integer> securityNameLines = new HashMap<>();
    private int shorthands;

    AccessDirectives(String file) {
        this.file = file;
    }

    void parse(String directive, String rest, int lineNumber) throws ConfigException {
        line = lineNumber;
        List<String> args = rest.isEmpty() ? List.of() : List.of(rest.split("\\s+"));
        switch (directive.toLowerCase(Locale.ROOT)) {
            case "rocommunity" -> community(directive, args, false, false);
            case "rocommunity6" -> community(directive, args, true, false);
            case "rwcommunity" -> community(directive, args, false, true);
            case "rwcommunity6" -> community(directive, args, true, true);
            case "com2sec" -> com2sec(directive, args, false);
            case "com2sec6" -> com2sec(directive, args, true);
            case "group" -> group(args);
            case "access" -> access(args);
            case "view" -> view(args);
            case "rouser" -> user(directive, args, false);
            case "rwuser" -> user(directive, args, true);
            default -> throw new IllegalArgumentException(directive);
        }
    }

    /** Checks the references between directives and returns the access control they describe. */
    Vacm build(List<SnmpUser> users) throws ConfigException {
        for (Map.Entry<GroupMember, Integer> e : memberLines.entrySet()) {
            GroupMember m = e.getKey();
            line = e.getValue();
            if (m.model() == Model.USM && users.stream().noneMatch(u -> u.name().equals(m.securityName()))) {
                throw error("user " + m.securityName() + " has no createUser line in this file; add e.g. 'createUser "
                        + m.securityName() + " SHA-256 PASSPHRASE AES PASSPHRASE'");
            }
            if (m.model() != Model.USM && communities.stream().noneMatch(c -> c.securityName().equals(m.securityName()))) {
                throw error("group: no com2sec line defines the security name '" + m.securityName()
                        + "'; add e.g. 'com2sec " + m.securityName() + " 127.0.0.1 COMMUNITY'");
            }
        }
        for (Map.Entry<String, Integer> e : groupReferences.entrySet()) {
            line = e.getValue();
            if (groups.stream().noneMatch(g -> g.group().equals(e.getKey()))) {
                throw error("access: no group line defines the group '" + e.getKey() + "'");
            }
        }
        for (Map.Entry<String, Integer> e : viewReferences.entrySet()) {
            line = e.getValue();
            if (views.stream().noneMatch(v -> v.view().equals(e.getKey()))) {
                throw error("no view line defines the view '" + e.getKey() + "'; add e.g. 'view " + e.getKey()
                        + " included .1.3.6.1.2.1.156' (or use none)");
            }
        }
        return new Vacm(communities, groups, accesses, views);
    }

    /** COMMUNITY SOURCE [OID | -V VIEW]: com2sec + group + access (+ view) under generated names. */
    private void community(String directive, List<String> args, boolean ipv6, boolean write) throws ConfigException {
        String usage = directive + " COMMUNITY SOURCE [OID | -V VIEW], e.g. '" + directive + " public "
                + (ipv6 ? "::1" : "127.0.0.1") + "'";
        if (args.size() == 1) {
            throw error(directive + " " + args.getFirst() + ": give a SOURCE, the addresses allowed to use it "
                    + "(an address, ADDRESS/BITS, ADDRESS/MASK, or 'default' for any); expected " + usage);
        }
        if (args.isEmpty() || args.size() > 4 || args.size() >= 3 && args.size() == 4 != "-V".equals(args.get(2))) {
            throw error("expected " + usage);
        }
        String name = directive.toLowerCase(Locale.ROOT).replace("6", "") + (++shorthands);
        communities.add(new CommunityMapping(args.get(0), name, source(directive, args.get(1), ipv6)));
        groups.add(new GroupMember(name, Model.V1, name));
        groups.add(new GroupMember(name, Model.V2C, name));
        shorthandAccess(name, Model.ANY, Level.NOAUTH, args.subList(2, args.size()), write, directive);
    }

    /** [-Cn CONTEXT] SECNAME SOURCE COMMUNITY. */
    private void com2sec(String directive, List<String> line, boolean ipv6) throws ConfigException {
        String context = "";
        List<String> args = line;
        if (!line.isEmpty() && line.getFirst().equals("-Cn")) {
            if (line.size() < 2) {
                throw error(directive + ": -Cn needs a CONTEXT, e.g. '" + directive + " -Cn netns:4026532291 "
                        + "podreader 127.0.0.1 podsecret'");
            }
            context = unquote(line.get(1));
            args = line.subList(2, line.size());
        }
        List<String> mapping = args;
        if (args.size() != 3) {
            throw error("expected " + directive + " [-Cn CONTEXT] SECNAME SOURCE COMMUNITY, e.g. '" + directive
                    + " local " + (ipv6 ? "::1" : "127.0.0.1") + " public'");
        }
        if (communities.stream().anyMatch(c -> c.community().equals(mapping.get(2)))) {
            throw error(directive + ": community '" + args.get(2) + "' is already mapped by an earlier line; "
                    + "one security name per community");
        }
        communities.add(new CommunityMapping(args.get(2), args.get(0), source(directive, args.get(1), ipv6), context));
    }

    /** A context as written in snmpd.conf: {@code ""} is the default (empty) context. */
    private static String unquote(String context) {
        return context.length() >= 2 && context.startsWith("\"") && context.endsWith("\"")
                ? context.substring(1, context.length() - 1) : context;
    }

    /** GROUP v1|v2c|usm SECNAME. */
    private void group(List<String> args) throws ConfigException {
        if (args.size() != 3) {
            throw error("expected group GROUP v1|v2c|usm SECNAME, e.g. 'group readers usm estats'");
        }
        addMember(new GroupMember(args.get(0), model("group", args.get(1), false), args.get(2)));
    }

    private void addMember(GroupMember member) throws ConfigException {
        String key = member.model() + " " + member.securityName();
        Integer earlier = securityNameLines.putIfAbsent(key, line);
        if (earlier != null) {
            throw error("'" + member.securityName() + "' (" + member.model().name().toLowerCase(Locale.ROOT)
                    + ") already has its access from line " + earlier + "; VACM gives a security name one group");
        }
        groups.add(member);
        memberLines.put(member, line);
    }

    /** GROUP CONTEXT any|v1|v2c|usm noauth|auth|priv exact|prefix READ WRITE NOTIFY. */
    private void access(List<String> args) throws ConfigException {
        if (args.size() != 8) {
            throw error("expected access GROUP CONTEXT any|v1|v2c|usm noauth|auth|priv exact|prefix READVIEW "
                    + "WRITEVIEW NOTIFYVIEW, e.g. 'access readers \"\" usm priv exact estatsView none none' (\"\" is "
                    + "the default context; '\"\" ... prefix' is every context)");
        }
        Model model = model("access", args.get(2), true);
        Level level = level("access", args.get(3));
        if (!List.of("exact", "prefix").contains(args.get(4).toLowerCase(Locale.ROOT))) {
            throw error("access: context match must be exact or prefix, not '" + args.get(4) + "'");
        }
        if (model != Model.USM && model != Model.ANY && level != Level.NOAUTH) {
            throw error("access: SNMPv1 and SNMPv2c requests are never authenticated; use noauth with "
                    + args.get(2));
        }
        groupReferences.putIfAbsent(args.getFirst(), line);
        accesses.add(new Access(args.getFirst(), model, level, viewReference(args.get(5)), viewReference(args.get(6)),
                unquote(args.get(1)), args.get(4).equalsIgnoreCase("prefix")));
        viewReference(args.get(7));
    }

    /** NAME included|excluded SUBTREE [MASK]. */
    private void view(List<String> args) throws ConfigException {
        if (args.size() < 3 || args.size() > 4) {
            throw error("expected view NAME included|excluded SUBTREE [MASK], e.g. 'view estatsView included "
                    + ".1.3.6.1.2.1.156'");
        }
        boolean included = switch (args.get(1).toLowerCase(Locale.ROOT)) {
            case "included" -> true;
            case "excluded" -> false;
            default -> throw error("view: type must be included or excluded, not '" + args.get(1) + "'");
        };
        OID subtree = oid("view", args.get(2));
        OctetString mask = new OctetString();
        if (args.size() == 4) {
            if (!MASK.matcher(args.get(3)).matches()) {
                throw error("view: MASK '" + args.get(3) + "' must be hex octets, e.g. ff or ff:a0");
            }
            mask = OctetString.fromHexString(args.get(3).replaceFirst("^0x", "").replaceAll("[.:]", ""));
        }
        views.add(new ViewFamily(args.getFirst(), subtree, mask, included));
    }

    /** [-s usm] USER [noauth|auth|priv [OID | -V VIEW]]; net-snmp's default level is auth. */
    private void user(String directive, List<String> args, boolean write) throws ConfigException {
        String usage = directive + " USER [noauth|auth|priv [OID | -V VIEW]], e.g. '" + directive
                + " admin priv .1.3.6.1.2.1.156'";
        List<String> a = args;
        if (a.size() >= 2 && a.get(0).equals("-s")) {
            if (!a.get(1).equalsIgnoreCase("usm")) {
                throw error(directive + ": -s " + a.get(1) + " is not supported; users are USM users");
            }
            a = a.subList(2, a.size());
        }
        if (a.isEmpty() || a.size() > 4 || a.size() >= 3 && a.size() == 4 != "-V".equals(a.get(2))) {
            throw error("expected " + usage);
        }
        Level level = a.size() >= 2 ? level(directive, a.get(1)) : Level.AUTH;
        String name = directive.toLowerCase(Locale.ROOT) + (++shorthands);
        addMember(new GroupMember(name, Model.USM, a.getFirst()));
        shorthandAccess(name, Model.USM, level, a.size() > 2 ? a.subList(2, a.size()) : List.of(), write, directive);
    }

    /** The access entry of a shorthand: its own view of OID (default everything), or -V VIEW. */
    private void shorthandAccess(String name, Model model, Level level, List<String> restriction, boolean write,
                                 String directive) throws ConfigException {
        String view = name;
        if (restriction.size() == 2) {
            view = viewReference(restriction.get(1));
        } else {
            OID subtree = restriction.isEmpty() ? new OID("1") : oid(directive, restriction.getFirst());
            views.add(new ViewFamily(name, subtree, new OctetString(), true));
        }
        accesses.add(new Access(name, model, level, view, write ? view : ""));
    }

    private String viewReference(String view) {
        if (view.equals("none")) {
            return "";
        }
        viewReferences.putIfAbsent(view, line);
        return view;
    }

    /** v1, v2c, usm, and any where {@code anyAllowed} (access entries). */
    private Model model(String directive, String s, boolean anyAllowed) throws ConfigException {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "any" -> {
                if (!anyAllowed) {
                    throw error(directive + ": security model 'any' is not supported; use v1, v2c or usm");
                }
                yield Model.ANY;
            }
            case "v1" -> Model.V1;
            case "v2c" -> Model.V2C;
            case "usm" -> Model.USM;
            default -> throw error(directive + ": security model '" + s + "' is not supported; use "
                    + (anyAllowed ? "any, " : "") + "v1, v2c or usm");
        };
    }

    private Level level(String directive, String s) throws ConfigException {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "noauth" -> Level.NOAUTH;
            case "auth" -> Level.AUTH;
            case "priv" -> Level.PRIV;
            default -> throw error(directive + ": level must be noauth, auth or priv, not '" + s + "'");
        };
    }

    private OID oid(String directive, String s) throws ConfigException {
        if (!NUMERIC_OID.matcher(s).matches()) {
            throw error(directive + ": '" + s + "' is not a numeric OID, e.g. .1.3.6.1.2.1.156");
        }
        return new OID(s.startsWith(".") ? s.substring(1) : s);
    }

    /** default | ADDRESS | ADDRESS/BITS | ADDRESS/MASK. */
    private SourceNetwork source(String directive, String spec, boolean ipv6) throws ConfigException {
        if (spec.equalsIgnoreCase("default")) {
            return null;
        }
        String expected = directive + ": SOURCE '" + spec + "' must be 'default', an IP address, "
                + "ADDRESS/BITS or ADDRESS/MASK (e.g. 10.0.0.0/8)";
        String[] parts = spec.split("/", -1);
        if (parts.length > 2 || !isIpLiteral(parts[0])) {
            throw error(expected);
        }
        InetAddress network = ipLiteral(parts[0], expected);
        if ((network instanceof Inet4Address) == ipv6) {
            String other = directive.endsWith("6") ? directive.substring(0, directive.length() - 1) : directive + "6";
            throw error(directive + ": SOURCE '" + spec + "' is " + (ipv6 ? "IPv4" : "IPv6") + "; use " + other);
        }
        int bits = network.getAddress().length * 8;
        if (parts.length == 1) {
            return new SourceNetwork(network, bits);
        }
        if (parts[1].matches("\\d+")) {
            int prefix = Integer.parseInt(parts[1]);
            if (prefix > bits) {
                throw error(expected);
            }
            return new SourceNetwork(network, prefix);
        }
        if (isIpLiteral(parts[1])) {
            return new SourceNetwork(network, prefixOfMask(ipLiteral(parts[1], expected).getAddress(), expected));
        }
        throw error(expected);
    }

    private InetAddress ipLiteral(String s, String expected) throws ConfigException {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw error(expected);
        }
    }

    private int prefixOfMask(byte[] mask, String expected) throws ConfigException {
        int prefix = 0;
        boolean ended = false;
        for (byte b : mask) {
            for (int bit = 7; bit >= 0; bit--) {
                boolean set = ((b >> bit) & 1) != 0;
                if (set && ended) {
                    throw error(expected + " (the mask is not contiguous)");
                }
                if (set) {
                    prefix++;
                } else {
                    ended = true;
                }
            }
        }
        return prefix;
    }

    private static boolean isIpLiteral(String s) {
        return s.matches("[0-9.]+") && s.split("\\.", -1).length == 4 || s.contains(":") && s.matches("[0-9A-Fa-f:.]+");
    }

    private ConfigException error(String message) {
        return new ConfigException(file + ":" + line + ": " + message);
    }
}
