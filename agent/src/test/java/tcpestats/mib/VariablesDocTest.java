package tcpestats.mib;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VariablesDocTest {
    private static final Path ROOT = Path.of(System.getProperty("estats.root", "..")).toAbsolutePath().normalize();
    private static final List<String> TEST_PACKAGES = List.of("tcpestats.collect", "tcpestats.e2e", "tcpestats.mib");

    @Test
    void committedDocIsWhatTheRegistryGenerates() throws Exception {
        assertEquals(VariablesDoc.write(), Files.readString(ROOT.resolve("docs/variables.md")),
                "docs/variables.md is stale; regenerate it with: bin/estats-agent variables > docs/variables.md");
    }

    @Test
    void everyServedObjectNamesATestThatExists() throws Exception {
        for (MibVariable v : Registry.all()) {
            if (!v.served()) {
                continue;
            }
            String proof = VariablesDoc.PROVEN_BY.get(v.name());
            assertTrue(proof != null, v.name() + " names no test");
            String[] parts = proof.split("#");
            Class<?> test = null;
            for (String pkg : TEST_PACKAGES) {
                try {
                    test = Class.forName(pkg + "." + parts[0]);
                } catch (ClassNotFoundException e) {
                    // try the next package
                }
            }
            assertTrue(test != null, v.name() + ": no test class " + parts[0]);
            Method[] methods = test.getDeclaredMethods();
            assertTrue(Arrays.stream(methods).anyMatch(m -> m.getName().equals(parts[1])),
                    v.name() + ": no test " + proof);
        }
    }

    @Test
    void everyServedCounterSaysWhatItCounts() {
        for (MibVariable v : Registry.all()) {
            boolean said = VariablesDoc.COUNTS.containsKey(v.name());
            assertEquals(v.served() && VariablesDoc.isCounter(v), said,
                    v.name() + (said ? " is no served counter" : " does not say whether it counts segments, octets or events"));
        }
    }
}
