package tcpestats.mib;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sysctls that decide whether this host offers a TCP option, to tell a
 * self-disabled option from one the peer declined (TcpEStatsNegotiated). Read from
 * the agent's network namespace.
 */
public record HostTcpSettings(int timestamps, int sack, int ecn) {
    public static HostTcpSettings read(Path procSysNetIpv4) {
        return new HostTcpSettings(read(procSysNetIpv4, "tcp_timestamps", 1), read(procSysNetIpv4, "tcp_sack", 1),
                read(procSysNetIpv4, "tcp_ecn", 2));
    }

    private static int read(Path dir, String name, int fallback) {
        try {
            return Integer.parseInt(Files.readString(dir.resolve(name)).strip());
        } catch (IOException | NumberFormatException e) {
            return fallback;
        }
    }
}
