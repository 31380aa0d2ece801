package tcpestats.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The libbpf and kernel ABI numbers the FFM layer uses (struct sizes and offsets, BTF kinds,
 * errno values), as bpf/abi.c printed them at build time from the headers that define them.
 */
final class Abi {
    private static final Properties NUMBERS = load();

    private Abi() {
    }

    private static Properties load() {
        try (InputStream in = Abi.class.getResourceAsStream("/bpf/abi.properties")) {
            if (in == null) {
                throw new IllegalStateException("bpf/abi.properties is missing from the build (bpf/build.sh makes it)");
            }
            Properties p = new Properties();
            p.load(in);
            return p;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read bpf/abi.properties: " + e.getMessage(), e);
        }
    }

    /** The number {@code name}, e.g. "ENOENT" or "bpf_prog_info.recursion_misses". */
    static int get(String name) {
        String value = NUMBERS.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("bpf/abi.properties has no " + name);
        }
        return Integer.parseInt(value);
    }
}
