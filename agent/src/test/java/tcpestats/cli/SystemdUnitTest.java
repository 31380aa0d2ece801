package tcpestats.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpestats.support.Processes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * conf/tcp-estats-agent.service: an unprivileged service with exactly the capabilities the agent
 * needs, its state directory where the example config keeps the engine ID, and a file systemd
 * itself accepts ({@code systemd-analyze verify}). This host has no systemd as PID 1, so the unit
 * is not started here; CapabilitiesEndToEndIT runs the agent with the same capabilities.
 */
class SystemdUnitTest {
    private static final Path ROOT = Path.of(System.getProperty("estats.root", "..")).toAbsolutePath().normalize();

    private static Map<String, String> settings(List<String> unit) {
        return unit.stream().filter(l -> l.contains("=") && !l.startsWith("#"))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1),
                        (a, b) -> a + " " + b));
    }

    @Test
    void leastPrivilegeAndTheExampleConfigsStateDirectory() throws Exception {
        Map<String, String> s = settings(Files.readAllLines(ROOT.resolve("conf/tcp-estats-agent.service")));
        String caps = "CAP_BPF CAP_PERFMON CAP_NET_ADMIN CAP_NET_BIND_SERVICE";
        assertEquals(caps, s.get("AmbientCapabilities"));
        assertEquals(caps, s.get("CapabilityBoundingSet"));
        assertEquals("yes", s.get("DynamicUser"));
        assertEquals("yes", s.get("NoNewPrivileges"));
        assertEquals("strict", s.get("ProtectSystem"));
        assertEquals("2", s.get("RestartPreventExitStatus"), "a configuration error is not retried");
        List<String> config = Files.readAllLines(ROOT.resolve("conf/estats-agent.conf"));
        assertTrue(config.contains("persistentDir /var/lib/" + s.get("StateDirectory")),
                "the example's persistentDir is the unit's StateDirectory");
    }

    @Test
    void theLauncherAsksForTheJavaReleaseThePomCompilesFor() throws Exception {
        String lib = Files.readString(ROOT.resolve("bin/lib.sh"));
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        String release = pom.replaceAll("(?s).*<maven.compiler.release>(\\d+)</maven.compiler.release>.*", "$1");
        assertTrue(lib.contains("\nMIN_JAVA=" + release + "\n"), "bin/lib.sh MIN_JAVA is the pom's release " + release);
    }

    @Test
    void systemdAcceptsTheUnit(@TempDir Path dir) throws Exception {
        String unit = Files.readString(ROOT.resolve("conf/tcp-estats-agent.service"))
                .replace("/opt/tcp-estats-agent/bin/estats-agent", ROOT.resolve("bin/estats-agent").toString());
        Path copy = Files.writeString(dir.resolve("tcp-estats-agent.service"), unit);
        Processes.Result r = Processes.run(List.of("systemd-analyze", "verify", copy.toString()), 60);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertEquals("", (r.stdout() + r.stderr()).strip(), "no warning");
    }
}
