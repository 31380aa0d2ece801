package tcpestats.support;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For tests that load BPF programs: they need root and a BTF kernel. Outside CI a host
 * without them skips the test; with CI=true that is a failure, never a silent skip.
 */
public final class KernelRequired implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        String missing = missing();
        if (missing == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail("kernel test cannot run in CI: " + missing);
        }
        Assumptions.abort("kernel test skipped: " + missing);
    }

    private static String missing() {
        if (!Files.isReadable(Path.of("/sys/kernel/btf/vmlinux"))) {
            return "/sys/kernel/btf/vmlinux is missing";
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String effective = line.substring(4).strip().split("\\s+")[1];
                    return effective.equals("0") ? null : "not running as root";
                }
            }
        } catch (IOException e) {
            return "cannot read /proc/self/status";
        }
        return "cannot tell the user id";
    }
}
