package tcpestats.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tcpestats.support.KernelRequired;
import tcpestats.support.Processes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bench/run --quick proves the benchmark harness works: every section is written, with numbers.
 * No timing is asserted (the machines are noisy); docs/benchmarks.md comes from the full run.
 */
@ExtendWith(KernelRequired.class)
class BenchmarkHarnessIT {
    @Test
    void quickRunWritesEverySection(@TempDir Path dir) throws Exception {
        Processes.Result r = Processes.run(List.of(AgentProcess.ROOT.resolve("bench/run").toString(), "--quick",
                "--out", dir.toString()), 600);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        String md = Files.readString(dir.resolve("benchmarks.md"));
        for (String section : List.of("## 1. Fast-path overhead", "## 2. Per-program cost", "## 3. Walk throughput",
                "## 4. Churn", "## 5. Memory", "## 6. Seed design", "## 7. Network namespaces", "## 8. Soak",
                "## 9. Java options")) {
            assertTrue(md.contains(section), section + " in:\n" + md);
        }
        for (String row : List.of("| loopback | default |", "| veth | all |", "| veth | seed |",
                "| estats_ingress | bulk | loopback |", "| cold | snmpd | tcpConnectionTable |",
                "| warm | agent | tcpConnectionTable |", "| 1000 |",
                "| the JVM with the idle agent's classes loaded |",
                "| 5 namespaces | 200 | 6 |")) {
            assertTrue(md.contains(row), row + " in:\n" + md);
        }
        // ratios are numbers, not NaN: every configuration ran against its baseline
        assertTrue(Pattern.compile("\\| loopback \\| default \\| [\\d.]+ \\([\\d.]+-[\\d.]+\\) \\| \\*\\*[\\d.]+\\*\\*")
                .matcher(md).find(), md);
        assertTrue(Pattern.compile("\\| cold \\| agent \\| tcpEStatsPerfTable \\|.*\\| \\*\\*[\\d.]+\\*\\* \\([\\d.]+-[\\d.]+\\) \\|")
                .matcher(md).find(), "walk ratios, per round against snmpd:\n" + md);
        assertTrue(Pattern.compile("\\| warm \\| agent \\| tcpConnectionTable \\|.*\\| [1-9]\\d* \\| \\*\\*[\\d.]+\\*\\*")
                .matcher(md).find(), "the agent's heap allocated per varbind walked:\n" + md);
        assertTrue(Pattern.compile("- veth, bulk, per second \\(medians\\): the sender retransmitted \\d+ segments, "
                + "detected reordering \\d+ times").matcher(md).find(), "the bulk sender's TCP counters:\n" + md);
        assertTrue(!Pattern.compile("\\bnan\\b").matcher(md).find(), md);
        assertTrue(Files.readString(dir.resolve("benchmarks.json")).contains("\"fast_path\""));
        assertTrue(Files.readAllLines(dir.resolve("benchmarks.csv")).size() > 20);
        assertTrue(Pattern.compile("\\| 1 \\| \\d+ \\(0\\) \\|").matcher(md).find(), "soak walks, none failed:\n" + md);
        for (String options : List.of("serial", "G1", "serial, C1 only")) {
            assertTrue(Pattern.compile("\\| " + options + " \\| [\\d.]+ \\([\\d.]+-[\\d.]+\\) \\|.*\\| \\d+ \\(0\\) \\|")
                    .matcher(md).find(), "a shortened soak with " + options + ", none of its walks failed:\n" + md);
        }
        byte[] png = Files.readAllBytes(dir.resolve("benchmarks-soak.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "the soak's plot is a PNG");
        String netns = Processes.run(List.of("ip", "netns", "list"), 10).stdout();
        assertTrue(!netns.contains("esbench-"), "the veth namespace is removed: " + netns);
    }
}
