package tcpestats.support;

import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The kernel's own view of a socket, from ss -tinH (tcp_info). */
public final class Ss {
    private final String line;

    private Ss(String line) {
        this.line = line;
    }

    /** tcp_info of the socket whose local port is {@code localPort} and remote port {@code remotePort}. */
    public static Ss of(int localPort, int remotePort) throws IOException, InterruptedException {
        return run(List.of(), localPort, remotePort);
    }

    /** As {@link #of}, for a socket of the network namespace {@code namespace} (ip netns name). */
    public static Ss in(String namespace, int localPort, int remotePort) throws IOException, InterruptedException {
        return run(List.of("ip", "netns", "exec", namespace), localPort, remotePort);
    }

    private static Ss run(List<String> prefix, int localPort, int remotePort) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(prefix);
        command.addAll(List.of("ss", "-tinH", "state", "all",
                "( sport = :" + localPort + " and dport = :" + remotePort + " )"));
        Processes.Result r = Processes.run(command, 10);
        if (r.exitCode() != 0) {
            throw new IOException("ss failed: " + r.stderr());
        }
        String joined = r.stdout().replace('\n', ' ').strip();
        if (joined.isEmpty()) {
            throw new IOException("ss shows no socket " + localPort + " -> " + remotePort);
        }
        return new Ss(joined);
    }

    /** A numeric field such as bytes_sent:N; empty when ss omits it (ss omits zeros). */
    public OptionalLong field(String name) {
        Matcher m = Pattern.compile("(?:^|\\s)" + Pattern.quote(name) + ":(\\d+)").matcher(line);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /** The first number of a field like rtt:0.038/0.019 or rcv_rtt:0.5; 0 when ss omits it. */
    public double decimal(String name) {
        if (name.equals("rttvar")) {
            Matcher m = Pattern.compile("(?:^|\\s)rtt:[0-9.]+/([0-9.]+)").matcher(line);
            return m.find() ? Double.parseDouble(m.group(1)) : 0;
        }
        Matcher m = Pattern.compile("(?:^|\\s)" + Pattern.quote(name) + ":([0-9.]+)").matcher(line);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** Both numbers of a field like wscale:7,10. */
    public int[] pair(String name) {
        Matcher m = Pattern.compile("(?:^|\\s)" + Pattern.quote(name) + ":(\\d+),(\\d+)").matcher(line);
        if (!m.find()) {
            throw new IllegalStateException("ss shows no " + name + ": " + line);
        }
        return new int[]{Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /** The current of "retrans:CURRENT/TOTAL": segments retransmitted and not yet acknowledged (0 when omitted). */
    public long retransCurrent() {
        Matcher m = Pattern.compile("(?:^|\\s)retrans:(\\d+)/\\d+").matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** The total of "retrans:CURRENT/TOTAL" (0 when ss omits it). */
    public long retransTotal() {
        Matcher m = Pattern.compile("(?:^|\\s)retrans:\\d+/(\\d+)").matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Override
    public String toString() {
        return line;
    }
}
