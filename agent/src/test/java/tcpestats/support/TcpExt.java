package tcpestats.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The TcpExt counters of a network namespace (/proc/net/netstat, what nstat reads): the
 * kernel's own count of its decisions, an oracle independent of the agent. Only a namespace
 * that holds nothing but the test's connection gives counts of that connection alone.
 */
public final class TcpExt {
    private final Map<String, Long> counters;

    private TcpExt(Map<String, Long> counters) {
        this.counters = counters;
    }

    /** This process's namespace. */
    public static TcpExt own() throws IOException {
        return parse(Files.readString(Path.of("/proc/net/netstat")));
    }

    /** Parses /proc/net/netstat text: a line of names and a line of values per group. */
    public static TcpExt parse(String netstat) {
        Map<String, Long> counters = new HashMap<>();
        List<String> lines = netstat.lines().toList();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            String[] names = lines.get(i).split(" ");
            String[] values = lines.get(i + 1).split(" ");
            if (names[0].equals("TcpExt:")) {
                for (int k = 1; k < names.length; k++) {
                    counters.put(names[k], Long.parseLong(values[k]));
                }
            }
        }
        return new TcpExt(counters);
    }

    public long get(String name) {
        Long value = counters.get(name);
        if (value == null) {
            throw new AssertionError("this kernel has no TcpExt " + name);
        }
        return value;
    }

    /** How far each of {@code names} moved since {@code before}, summed. */
    public long since(TcpExt before, String... names) {
        long sum = 0;
        for (String name : names) {
            sum += get(name) - before.get(name);
        }
        return sum;
    }
}
