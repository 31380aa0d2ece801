package tcpestats.config;

import tcpestats.collect.Control;


import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the agent's configuration file. The SNMP part uses net-snmp snmpd.conf
 * directives with their meaning (matched case-insensitively, as snmpd does); our own
 * settings are separate directives. Any unknown or malformed line is an error that
 * names the file, the line and what was expected.
 */
public final class ConfigParser {
    static final int DEFAULT_PORT = 161;
    private static final Pattern IPV6_BRACKETS = Pattern.compile("\\[([0-9A-Fa-f:.]+)](?::(\\d+))?");

    /** SNMPv3 protocols we accept (MD5, SHA-1 and DES are broken), as net-snmp names them. */
    private static final List<String> AUTH_PROTOCOLS = List.of("SHA-224", "SHA-256", "SHA-384", "SHA-512");
    private static final String AUTH_CHOICES = "SHA-224, SHA-256, SHA-384 or SHA-512";
    private static final List<String> PRIV_PROTOCOLS = List.of("AES", "AES-128", "AES-192", "AES-256");
    private static final String PRIV_CHOICES = "AES (AES-128), AES-192 or AES-256";

    private final String file;
    private final List<AgentAddress> addresses = new ArrayList<>();
    private Optional<String> sysDescr = Optional.empty();
    private Optional<String> sysContact = Optional.empty();
    private Optional<String> sysName = Optional.empty();
    private Optional<String> sysLocation = Optional.empty();
    private long snapshotMaxAgeMillis = AgentConfig.DEFAULT_SNAPSHOT_MAX_AGE_MILLIS;
    private final Map<Control, Boolean> controls = new EnumMap<>(Control.class);
    private long connTableLatency;
    private int eventBufferBytes = AgentConfig.DEFAULT_EVENT_BUFFER_BYTES;
    private final List<NotificationTarget> targets = new ArrayList<>();
    private int notificationRateLimit = AgentConfig.DEFAULT_NOTIFICATION_RATE_LIMIT;
    private final List<MonitorRule> monitors = new ArrayList<>();
    private final List<SnmpUser> users = new ArrayList<>();
    private Optional<Path> persistentDir = Optional.empty();
    private int monitorRateLimit = AgentConfig.DEFAULT_MONITOR_RATE_LIMIT;
    private int lineNumber;

    private final AccessDirectives access;

    private ConfigParser(String file) {
        this.file = file;
        this.access = new AccessDirectives(file);
    }

    public static AgentConfig parse(Path path) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(path);
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read the configuration file (" + e.getMessage() + ")");
        }
        return parse(path.toString(), lines);
    }

    public static AgentConfig parse(String fileName, List<String> lines) throws ConfigException {
        ConfigParser p = new ConfigParser(fileName);
        for (String line : lines) {
            p.lineNumber++;
            p.line(line);
        }
        Vacm vacm = p.access.build(p.users);
        if (p.addresses.isEmpty()) {
            p.addresses.add(new AgentAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT));
        }
        return new AgentConfig(p.addresses, vacm, p.sysDescr, p.sysContact, p.sysName, p.sysLocation,
                p.snapshotMaxAgeMillis, p.controls, p.connTableLatency, p.eventBufferBytes, p.targets,
                p.notificationRateLimit, p.monitors, p.monitorRateLimit, p.users, p.persistentDir);
    }

    private void line(String raw) throws ConfigException {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
            return;
        }
        String[] split = line.split("\\s+", 2);
        String directive = split[0];
        String rest = split.length > 1 ? split[1].strip() : "";
        if (AccessDirectives.DIRECTIVES.contains(directive.toLowerCase(Locale.ROOT))) {
            access.parse(directive, rest, lineNumber);
            return;
        }
        Optional<Control> control = Control.named(directive);
        if (control.isPresent()) {
            controls.put(control.get(), truthValue(control.get(), rest));
            return;
        }
        switch (directive.toLowerCase(Locale.ROOT)) {
            case "agentaddress" -> agentAddress(rest);
            case "sysdescr" -> sysDescr = Optional.of(text(directive, rest));
            case "syscontact" -> sysContact = Optional.of(text(directive, rest));
            case "sysname" -> sysName = Optional.of(text(directive, rest));
            case "syslocation" -> sysLocation = Optional.of(text(directive, rest));
            case "estatssnapshotmaxage" -> snapshotMaxAgeMillis = snapshotMaxAge(rest);
            case "tcpestatsconntablelatency" -> connTableLatency = latency(rest);
            case "estatseventbuffersize" -> eventBufferBytes = eventBufferSize(rest);
            case "trap2sink" -> targets.add(sink(directive, rest, false));
            case "informsink" -> targets.add(sink(directive, rest, true));
            case "trapsess" -> targets.add(trapsess(rest));
            case "estatsnotificationratelimit" -> notificationRateLimit = rateLimit(directive, rest, 50);
            case "estatsmonitorratelimit" -> monitorRateLimit = rateLimit(directive, rest, 10);
            case "monitor" -> monitors.add(monitor(rest));
            case "createuser" -> users.add(createUser(rest));
            case "persistentdir" -> persistentDir = Optional.of(Path.of(text(directive, rest)));
            default -> throw error("unknown directive '" + directive + "'; expected one of agentAddress, "
                    + "rocommunity, rocommunity6, rwcommunity, rwcommunity6, com2sec, com2sec6, createUser, rouser, "
                    + "rwuser, group, access, view, persistentDir, sysDescr, sysContact, sysName, sysLocation, "
                    + "trap2sink, informsink, trapsess, monitor, estatsSnapshotMaxAge, estatsEventBufferSize, "
                    + "estatsNotificationRateLimit, estatsMonitorRateLimit, " + Arrays.stream(Control.values())
                    .map(Control::mibName).collect(Collectors.joining(", ")) + ", tcpEStatsConnTableLatency");
        }
    }

    private void agentAddress(String rest) throws ConfigException {
        if (rest.isEmpty()) {
            throw error("agentAddress needs an address, e.g. 'agentAddress udp:127.0.0.1:1161'");
        }
        for (String spec : rest.split(",")) {
            addresses.add(address(spec.strip()));
        }
    }

    /** [udp:|udp6:]HOST[:PORT], [udp:]PORT, udp6:[ADDR]:PORT as in snmpd.conf(5). */
    private AgentAddress address(String spec) throws ConfigException {
        String expected = "'" + spec + "' is not a UDP address; expected [udp:|udp6:]HOST[:PORT], "
                + "e.g. udp:127.0.0.1:1161 or udp6:[::1]:1161";
        String lower = spec.toLowerCase(Locale.ROOT);
        boolean ipv6 = false;
        String s = spec;
        if (lower.startsWith("udp6:") || lower.startsWith("udpv6:") || lower.startsWith("udpipv6:")) {
            ipv6 = true;
            s = spec.substring(spec.indexOf(':') + 1);
        } else if (lower.startsWith("udp:")) {
            s = spec.substring(4);
        } else if (lower.matches("[a-z0-9]+:.*") && !lower.matches("[0-9a-z.-]+:\\d+")) {
            throw error("agentAddress: transport '" + spec.substring(0, spec.indexOf(':'))
                    + "' is not supported; use udp: or udp6:");
        }
        try {
            if (s.matches("\\d+")) {
                return new AgentAddress(InetAddress.getByName(ipv6 ? "::" : "0.0.0.0"), port(s, expected));
            }
            Matcher m = IPV6_BRACKETS.matcher(s);
            if (m.matches()) {
                return new AgentAddress(InetAddress.getByName(m.group(1)),
                        m.group(2) == null ? DEFAULT_PORT : port(m.group(2), expected));
            }
            if (ipv6) {
                throw error("agentAddress: " + expected);
            }
            int colon = s.lastIndexOf(':');
            String host = colon < 0 ? s : s.substring(0, colon);
            int port = colon < 0 ? DEFAULT_PORT : port(s.substring(colon + 1), expected);
            if (host.isEmpty()) {
                throw error("agentAddress: " + expected);
            }
            return new AgentAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw error("agentAddress: host in '" + spec + "' is not known; use an IP address");
        }
    }

    private int port(String s, String expected) throws ConfigException {
        try {
            int port = Integer.parseInt(s);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw error("agentAddress: " + expected + " (port must be 1-65535)");
    }

    private String text(String directive, String rest) throws ConfigException {
        if (rest.isEmpty()) {
            throw error(directive + " needs a text value");
        }
        return rest;
    }

    private boolean truthValue(Control control, String rest) throws ConfigException {
        return switch (rest.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "2" -> false;
            default -> throw error(control.mibName() + " takes true or false, e.g. '" + control.mibName() + " true'");
        };
    }

    private long latency(String rest) throws ConfigException {
        try {
            long v = Long.parseLong(rest);
            if (v >= 0 && v <= 0xFFFF_FFFFL) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw error("tcpEStatsConnTableLatency takes seconds from 0 to 4294967295, e.g. 'tcpEStatsConnTableLatency 30'");
    }

    /** trap2sink|informsink HOST[:PORT] [COMMUNITY [PORT]] as in snmpd.conf(5); port 162 by default. */
    private NotificationTarget sink(String directive, String rest, boolean inform) throws ConfigException {
        String[] args = rest.isEmpty() ? new String[0] : rest.split("\\s+");
        if (args.length == 0 || args.length > 3) {
            throw error("expected " + directive + " HOST[:PORT] [COMMUNITY [PORT]], e.g. '" + directive
                    + " 127.0.0.1 public'");
        }
        AgentAddress host = notificationHost(directive, args[0]);
        int port = args.length > 2 ? port(args[2], directive + ": '" + args[2] + "' is not a port") : host.port();
        return new NotificationTarget(host.host(), port, 2, inform, args.length > 1 ? args[1] : "public", null);
    }

    /**
     * trapsess [OPTIONS] HOST[:PORT]: the net-snmp command line options -v 2c|3, -c, -u, -l, -a, -A, -x, -X and
     * -Ci (inform).
     */
    private NotificationTarget trapsess(String rest) throws ConfigException {
        String usage = "trapsess -v 2c -c COMMUNITY HOST[:PORT] or trapsess -v 3 -u USER -l authPriv -a SHA-256 "
                + "-A PASSPHRASE -x AES -X PASSPHRASE HOST[:PORT]";
        String[] args = rest.isEmpty() ? new String[0] : rest.split("\\s+");
        if (args.length == 0) {
            throw error("expected " + usage);
        }
        Map<String, String> opts = new HashMap<>();
        boolean inform = false;
        int i = 0;
        for (; i < args.length - 1; i++) {
            String opt = args[i];
            if (opt.equals("-Ci")) {
                inform = true;
                continue;
            }
            if (!List.of("-v", "-c", "-u", "-l", "-a", "-A", "-x", "-X").contains(opt)) {
                throw error("trapsess: option '" + opt + "' is not supported; use " + usage);
            }
            opts.put(opt, args[++i]);
        }
        if (i != args.length - 1) {
            throw error("trapsess: the last argument must be the receiver, HOST[:PORT]; use " + usage);
        }
        AgentAddress host = notificationHost("trapsess", args[args.length - 1]);
        String version = opts.getOrDefault("-v", "2c");
        if (version.equals("2c")) {
            if (!opts.containsKey("-c")) {
                throw error("trapsess -v 2c needs -c COMMUNITY");
            }
            return new NotificationTarget(host.host(), host.port(), 2, inform, opts.get("-c"), null);
        }
        if (!version.equals("3")) {
            throw error("trapsess: -v " + version + " is not supported; use 2c or 3");
        }
        if (inform) {
            throw error("trapsess: SNMPv3 informs (-Ci) are not supported yet; send SNMPv3 traps or SNMPv2c informs");
        }
        String user = opts.get("-u");
        if (user == null) {
            throw error("trapsess -v 3 needs -u USER");
        }
        String level = opts.getOrDefault("-l", "noAuthNoPriv");
        if (!List.of("noAuthNoPriv", "authNoPriv", "authPriv").contains(level)) {
            throw error("trapsess: -l must be noAuthNoPriv, authNoPriv or authPriv, not '" + level + "'");
        }
        String auth = opts.getOrDefault("-a", "SHA-256");
        String priv = opts.getOrDefault("-x", "AES");
        if (!level.equals("noAuthNoPriv")) {
            if (!AUTH_PROTOCOLS.contains(auth)) {
                throw error("trapsess: -a " + auth + " is not supported; use " + AUTH_CHOICES);
            }
            passphrase("-A", opts.get("-A"));
        }
        if (level.equals("authPriv")) {
            if (!PRIV_PROTOCOLS.contains(priv)) {
                throw error("trapsess: -x " + priv + " is not supported; use " + PRIV_CHOICES);
            }
            passphrase("-X", opts.get("-X"));
        }
        return new NotificationTarget(host.host(), host.port(), 3, false, null,
                new NotificationTarget.V3User(user, level, auth, opts.get("-A"), priv, opts.get("-X")));
    }

    private void passphrase(String option, String value) throws ConfigException {
        if (value == null || value.length() < 8) {
            throw error("trapsess: " + option + " needs a passphrase of at least 8 characters");
        }
    }

    private AgentAddress notificationHost(String directive, String spec) throws ConfigException {
        AgentAddress a = address(spec.matches(".*:\\d+$") || spec.startsWith("[") ? spec : spec + ":162");
        if (a.host().isAnyLocalAddress()) {
            throw error(directive + ": '" + spec + "' is not a receiver address");
        }
        return a;
    }

    /** createUser NAME SHA-256|SHA-512|... AUTHPASS [AES|AES-192|AES-256 [PRIVPASS]] as in snmpd.conf(5). */
    private SnmpUser createUser(String rest) throws ConfigException {
        String usage = "createUser NAME SHA-256 AUTHPASSPHRASE [AES [PRIVPASSPHRASE]]";
        String[] a = rest.isEmpty() ? new String[0] : rest.split("\\s+");
        if (a.length > 0 && a[0].equals("-e")) {
            throw error("createUser -e is not supported: users are localized to this agent's engine ID "
                    + "(snmpEngineID.0); use " + usage);
        }
        if (a.length < 3 || a.length > 5) {
            throw error("expected " + usage);
        }
        String auth = a[1].toUpperCase(Locale.ROOT);
        if (!AUTH_PROTOCOLS.contains(auth)) {
            throw error("createUser " + a[0] + ": authentication " + a[1] + " is not supported (MD5 and SHA-1 are "
                    + "broken); use " + AUTH_CHOICES);
        }
        passphrase("createUser", "authentication", a[2]);
        if (users.stream().anyMatch(u -> u.name().equals(a[0]))) {
            throw error("createUser " + a[0] + ": the user is already defined");
        }
        if (a.length == 3) {
            return new SnmpUser(a[0], auth, a[2], null, null);
        }
        String priv = a[3].toUpperCase(Locale.ROOT);
        if (!PRIV_PROTOCOLS.contains(priv)) {
            throw error("createUser " + a[0] + ": privacy " + a[3] + " is not supported (DES is broken); use "
                    + PRIV_CHOICES);
        }
        String privPass = a.length == 5 ? a[4] : a[2]; // as net-snmp: the auth passphrase when none is given
        passphrase("createUser", "privacy", privPass);
        return new SnmpUser(a[0], auth, a[2], priv, privPass);
    }

    private void passphrase(String directive, String what, String value) throws ConfigException {
        if (value.length() < 8) {
            throw error(directive + ": the " + what + " passphrase needs at least 8 characters (RFC 3414)");
        }
    }

    private MonitorRule monitor(String rest) throws ConfigException {
        try {
            MonitorRule rule = MonitorParser.parse(rest);
            if (monitors.stream().anyMatch(m -> m.name().equals(rule.name()))) {
                throw error("monitor: a rule named '" + rule.name() + "' is already defined; names identify "
                        + "the trigger in mteHotTrigger");
            }
            return rule;
        } catch (IllegalArgumentException e) {
            throw error("monitor: " + e.getMessage());
        }
    }

    private int rateLimit(String directive, String rest, int example) throws ConfigException {
        try {
            int v = Integer.parseInt(rest);
            if (v >= 1 && v <= 100_000) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw error(directive + " takes notifications per second from 1 to 100000, "
                + "e.g. '" + directive + " " + example + "'");
    }

    private int eventBufferSize(String rest) throws ConfigException {
        try {
            int v = Integer.parseInt(rest);
            if (v >= 4096 && v <= (1 << 30) && Integer.bitCount(v) == 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw error("estatsEventBufferSize takes a power of two from 4096 to 1073741824 (bytes), "
                + "e.g. 'estatsEventBufferSize 1048576'");
    }

    private long snapshotMaxAge(String rest) throws ConfigException {
        try {
            long v = Long.parseLong(rest);
            if (v >= 0 && v <= 60_000) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw error("estatsSnapshotMaxAge takes milliseconds from 0 to 60000, e.g. 'estatsSnapshotMaxAge 500'");
    }

    private ConfigException error(String message) {
        return new ConfigException(file + ":" + lineNumber + ": " + message);
    }
}
