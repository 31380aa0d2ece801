package tcpestats.config;

import org.snmp4j.smi.OID;
import tcpestats.mib.IndexKind;
import tcpestats.mib.MibVariable;
import tcpestats.mib.Registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the arguments of a {@code monitor} directive, net-snmp's syntax:
 * {@code monitor [-r FREQUENCY] [-D] [-s|-S] [-o OID]... NAME EXPRESSION}. Only the forms that
 * fit a table of connections are accepted; anything else is an error naming what.
 */
final class MonitorParser {
    static final String USAGE = "monitor [-r FREQUENCY] [-D] [-s|-S] [-o OID]... NAME OID OP VALUE "
            + "or ... NAME OID MIN MAX, e.g. 'monitor -r 10 -D retrans tcpEStatsPerfSegsRetrans 0 50'";

    private MonitorParser() {
    }

    /** @throws IllegalArgumentException with a message for the operator */
    static MonitorRule parse(String arguments) {
        List<String> words = words(arguments);
        int frequency = MonitorRule.DEFAULT_FREQUENCY_SECONDS;
        boolean delta = false;
        boolean startup = true;
        List<String> extras = new ArrayList<>();
        int i = 0;
        while (i < words.size() && words.get(i).startsWith("-")) {
            String option = words.get(i++);
            switch (option) {
                case "-r" -> frequency = frequency(argument(words, i++, option));
                case "-D" -> delta = true;
                case "-s" -> startup = true;
                case "-S" -> startup = false;
                case "-o" -> extras.add(argument(words, i++, option));
                case "-e" -> throw new IllegalArgumentException("option -e (an event of the DISMAN event tables) "
                        + "is not supported: the rule sends mteTriggerRising/Falling/Fired to the trap sinks");
                case "-i", "-I" -> throw new IllegalArgumentException("option " + option + " is not supported: give "
                        + "the instance in the OID (e.g. tcpEStatsPerfSegsRetrans.7) to watch one row");
                case "-u" -> throw new IllegalArgumentException("option -u is not supported: the agent reads its "
                        + "own tables, no user is needed");
                default -> throw new IllegalArgumentException("option " + option + " is not supported; use " + USAGE);
            }
        }
        List<String> rest = words.subList(i, words.size());
        if (rest.size() == 2 || rest.size() == 1) {
            throw new IllegalArgumentException("existence tests ('NAME OID' or 'NAME !OID') are not supported; use "
                    + USAGE);
        }
        if (rest.size() != 4) {
            throw new IllegalArgumentException("expected " + USAGE);
        }
        String name = rest.get(0);
        Watched watched = watched(rest.get(1));
        MonitorRule.Test test;
        MonitorRule.Comparison comparison = MonitorRule.Comparison.of(rest.get(2));
        if (comparison != null) {
            test = new MonitorRule.Boolean(comparison, number(rest.get(3), "VALUE"));
        } else {
            long min = number(rest.get(2), "MIN (or an operator != == < <= > >=)");
            long max = number(rest.get(3), "MAX");
            if (min > max) {
                throw new IllegalArgumentException("MIN " + min + " is above MAX " + max
                        + "; a threshold rises at MAX and falls at MIN");
            }
            test = new MonitorRule.Threshold(min, max);
        }
        List<MibVariable> extraColumns = new ArrayList<>();
        for (String extra : extras) {
            Watched w = watched(extra);
            if (w.instance().size() > 0) {
                throw new IllegalArgumentException("-o " + extra + ": give a column without instance; the varbind "
                        + "is that column of the firing row");
            }
            if (isListener(w.variable()) != isListener(watched.variable())) {
                throw new IllegalArgumentException("-o " + extra + " is a " + kind(w.variable())
                        + " column but " + watched.variable().name() + " is a " + kind(watched.variable())
                        + " column: they have no row in common");
            }
            extraColumns.add(w.variable());
        }
        return new MonitorRule(name, watched.variable(), watched.instance(), frequency, delta, startup, test,
                extraColumns);
    }

    private record Watched(MibVariable variable, OID instance) {
    }

    /** A column by name ({@code [MODULE::]name[.instance]}) or numeric OID, with an optional instance. */
    private static Watched watched(String spec) {
        String s = spec.contains("::") ? spec.substring(spec.indexOf("::") + 2) : spec;
        if (s.matches("\\.?\\d+(\\.\\d+)*")) {
            OID oid = new OID(s.startsWith(".") ? s.substring(1) : s);
            for (MibVariable v : Registry.all()) {
                if (v.table().isTable() && oid.startsWith(v.oid())) {
                    return column(spec, v, new OID(oid.getValue(), v.oid().size(), oid.size() - v.oid().size()));
                }
            }
            throw new IllegalArgumentException("'" + spec + "' is not in a column of the served tables");
        }
        int dot = s.indexOf('.');
        String name = dot < 0 ? s : s.substring(0, dot);
        String instance = dot < 0 ? "" : s.substring(dot + 1);
        if (!instance.isEmpty() && !instance.matches("\\d+(\\.\\d+)*")) {
            throw new IllegalArgumentException("'" + spec + "': the instance must be numeric, e.g. "
                    + name + ".7");
        }
        MibVariable v = Registry.all().stream().filter(m -> m.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + spec + "' names no object of TCP-ESTATS-MIB "
                        + "or TCP-MIB's connection tables (see docs/variables.md)"));
        if (!v.table().isTable()) {
            throw new IllegalArgumentException("'" + spec + "' is a scalar; monitor watches table columns");
        }
        return column(spec, v, instance.isEmpty() ? new OID() : new OID(instance));
    }

    private static Watched column(String spec, MibVariable v, OID instance) {
        if (!v.served()) {
            throw new IllegalArgumentException("'" + spec + "': " + v.name() + " is not served (Linux does not "
                    + "provide it; see docs/variables.md)");
        }
        return new Watched(v, instance);
    }

    private static boolean isListener(MibVariable v) {
        return v.table().indexKind() == IndexKind.LISTENER;
    }

    private static String kind(MibVariable v) {
        return isListener(v) ? "listener" : "connection";
    }

    private static String argument(List<String> words, int i, String option) {
        if (i >= words.size()) {
            throw new IllegalArgumentException("option " + option + " needs a value; use " + USAGE);
        }
        return words.get(i);
    }

    /** Seconds, or a number with s, m, h, d or w as in snmpd.conf(5). */
    private static int frequency(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        long unit = 1;
        if (!lower.isEmpty() && "smhdw".indexOf(lower.charAt(lower.length() - 1)) >= 0) {
            unit = switch (lower.charAt(lower.length() - 1)) {
                case 'm' -> 60;
                case 'h' -> 3600;
                case 'd' -> 86_400;
                case 'w' -> 604_800;
                default -> 1;
            };
            lower = lower.substring(0, lower.length() - 1);
        }
        try {
            long seconds = Long.parseLong(lower) * unit;
            if (seconds >= 1 && seconds <= 86_400 * 7) {
                return (int) seconds;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("-r " + s + ": the frequency is 1 second to 1 week, in seconds or with "
                + "s, m, h, d or w, e.g. -r 30 or -r 5m");
    }

    private static long number(String s, String what) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a number for " + what + "; use " + USAGE);
        }
    }

    /** Words separated by blanks; "double quotes" keep blanks, as in snmpd.conf. */
    private static List<String> words(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                if (word == null) {
                    word = new StringBuilder();
                }
            } else if (Character.isWhitespace(c) && !quoted) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                word.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("a double quote is not closed");
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
