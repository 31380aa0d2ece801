package tcpestats.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/estats-agent as conf/tcp-estats-agent.service runs it: the built jar, never a set-up step. */
class LauncherEndToEndIT {
    private static final Path ROOT = AgentProcess.ROOT;

    private static Map<String, String> settings(List<String> unit) {
        return unit.stream().filter(l -> l.contains("=") && !l.startsWith("#"))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1),
                        (a, b) -> a + " " + b));
    }

    @Test
    void theUnitRunsTheAgentAsBuiltAndNeverSetsUp(@TempDir Path tree) throws Exception {
        Map<String, String> s = settings(Files.readAllLines(ROOT.resolve("conf/tcp-estats-agent.service")));
        assertEquals("ESTATS_SETUP=no", s.get("Environment"));
        // a copy of the launcher whose tree has no jar: one line, no apt-get, no build
        Files.createDirectories(tree.resolve("bin"));
        for (String f : List.of("estats-agent", "lib.sh")) {
            Files.copy(ROOT.resolve("bin").resolve(f), tree.resolve("bin").resolve(f));
        }
        tree.resolve("bin/estats-agent").toFile().setExecutable(true);
        ProcessBuilder pb = new ProcessBuilder(tree.resolve("bin/estats-agent").toString(), "--version")
                .redirectErrorStream(true);
        pb.environment().put("ESTATS_SETUP", "no");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(1, p.waitFor(), out);
        assertEquals("estats-agent: " + tree.resolve("agent/target/estats-agent.jar") + " is missing; build it first: "
                + tree.resolve("bin/estats-agent") + " check (as root)", out);

        // with the jar, older than a source: a warning, and the jar runs
        Files.createDirectories(tree.resolve("agent/target"));
        Files.copy(ROOT.resolve("agent/target/estats-agent.jar"), tree.resolve("agent/target/estats-agent.jar"));
        Files.createDirectories(tree.resolve("bpf"));
        Files.writeString(tree.resolve("bpf/newer.c"), "");
        tree.resolve("bpf/newer.c").toFile().setLastModified(System.currentTimeMillis() + 60_000);
        p = pb.start();
        out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.startsWith("estats-agent: the agent jar is older than its sources; running it as built"), out);
    }

}
