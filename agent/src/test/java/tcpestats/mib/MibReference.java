package tcpestats.mib;

import tcpestats.support.Processes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Object facts from RFC 4898's own TCP-ESTATS-MIB (a test resource) with the IETF modules
 * the project ships in mib/, read with net-snmp's snmptranslate.
 */
final class MibReference {
    record ObjectFacts(String oid, String syntax, String textualConvention, String access, String units) {
        /** The registry's SYNTAX names the same type, and its wire type fits the base syntax. */
        boolean matches(MibVariable v) {
            String declared = v.syntax().split("[ (]")[0];
            String expected = textualConvention != null ? textualConvention : syntax;
            if (!declared.equals(expected)) {
                return false;
            }
            return switch (v.type()) {
                case COUNTER32 -> syntax.equals("Counter32");
                case ZERO_BASED_COUNTER32, GAUGE32 -> syntax.equals("Gauge32");
                case COUNTER64, ZERO_BASED_COUNTER64 -> syntax.equals("Counter64");
                case UNSIGNED32 -> syntax.equals("Unsigned32");
                case INTEGER -> syntax.equals("INTEGER") || syntax.equals("Integer32");
                case TIMESTAMP -> syntax.equals("TimeTicks");
                case DATE_AND_TIME, OCTET -> syntax.equals("OCTET");
            };
        }
    }

    private final Path mibs;

    private MibReference(Path mibs) {
        this.mibs = mibs;
    }

    static MibReference load() throws IOException {
        return new MibReference(referenceDirectory());
    }

    /** The project's mib/ with RFC 4898's TCP-ESTATS-MIB in place of ours, in a new temporary directory. */
    static Path referenceDirectory() throws IOException {
        Path root = Path.of(System.getProperty("estats.root", "..")).toAbsolutePath().normalize();
        Path dir = Files.createTempDirectory("estats-mibs");
        dir.toFile().deleteOnExit();
        try (var modules = Files.list(root.resolve("mib"))) {
            for (Path module : modules.filter(m -> m.toString().endsWith(".txt")
                    && !m.getFileName().toString().equals("TCP-ESTATS-MIB.txt")).toList()) {
                Files.copy(module, dir.resolve(module.getFileName())).toFile().deleteOnExit();
            }
        }
        try (var rfc = MibReference.class.getResourceAsStream("/rfc4898/TCP-ESTATS-MIB.txt")) {
            if (rfc == null) {
                throw new IllegalStateException("test resource rfc4898/TCP-ESTATS-MIB.txt is missing");
            }
            Files.copy(rfc, dir.resolve("TCP-ESTATS-MIB.txt"));
            dir.resolve("TCP-ESTATS-MIB.txt").toFile().deleteOnExit();
        }
        return dir;
    }

    /** Names of every object (column and scalar) under tcpEStatsMIBObjects. */
    List<String> estatsObjects() throws IOException, InterruptedException {
        Processes.Result r = Processes.run(List.of("snmptranslate", "-M", mibs.toString(), "-m", "TCP-ESTATS-MIB",
                "-Tz"), 20);
        List<String> names = new java.util.ArrayList<>();
        Matcher m = Pattern.compile("\"(\\w+)\"\\s+\"1\\.3\\.6\\.1\\.2\\.1\\.156\\.1\\.([0-9.]+)\"")
                .matcher(r.stdout());
        while (m.find()) {
            String name = m.group(1);
            String[] arcs = m.group(2).split("\\.");
            boolean column = arcs.length == 4 && arcs[0].equals("1");
            boolean scalar = arcs.length == 2 && !arcs[0].equals("1");
            if (column || scalar) {
                names.add(name);
            }
        }
        return names;
    }

    ObjectFacts object(String name) throws IOException, InterruptedException {
        String module = name.startsWith("tcpEStats") ? "TCP-ESTATS-MIB" : "TCP-MIB";
        Processes.Result r = Processes.run(List.of("snmptranslate", "-M", mibs.toString(),
                "-m", "TCP-ESTATS-MIB:TCP-MIB", "-On", "-Td", module + "::" + name), 20);
        if (r.exitCode() != 0) {
            throw new IOException("snmptranslate " + name + ": " + r.stderr());
        }
        String text = r.stdout();
        String oid = text.lines().findFirst().orElseThrow().strip().replaceFirst("^\\.", "");
        return new ObjectFacts(oid, group(text, "SYNTAX\\s+(\\w+)"),
                group(text, "TEXTUAL CONVENTION (\\w+)"), group(text, "MAX-ACCESS\\s+([\\w-]+)"),
                orEmpty(group(text, "UNITS\\s+\"([^\"]*)\"")));
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
