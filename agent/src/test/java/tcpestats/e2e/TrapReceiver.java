package tcpestats.e2e;

import tcpestats.support.Await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * net-snmp's snmptrapd writing what it receives to a file, decoded with the modules the
 * project ships in mib/ (DISMAN-EVENT-MIB among them) alone: one line of varbinds per notification.
 */
final class TrapReceiver implements AutoCloseable {
    private static final Path MIBS = AgentProcess.ROOT.resolve("mib");

    final Path log;
    private final Process process;

    /** @param engineIdHex the agent's engine ID for its SNMPv3 user trapuser, or null for SNMPv2c only */
    TrapReceiver(Path dir, int port, String engineIdHex) throws Exception {
        log = dir.resolve("traps.log");
        Path conf = dir.resolve("snmptrapd.conf");
        List<String> lines = new ArrayList<>(List.of("authCommunity log public", "authUser log trapuser priv"));
        if (engineIdHex != null) {
            lines.add("createUser -e 0x" + engineIdHex + " trapuser SHA-256 trappass12 AES trappass12");
        }
        Files.write(conf, lines);
        process = new ProcessBuilder("snmptrapd", "-f", "-C", "-c", conf.toString(), "-Lf", log.toString(),
                "-M", MIBS.toString(), "-m", "TCP-ESTATS-MIB:DISMAN-EVENT-MIB:SNMPv2-MIB",
                "udp:127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("snmptrapd.out").toFile()).start();
        Await.untilTrue("snmptrapd started", Duration.ofSeconds(10),
                () -> Files.exists(log) && text().contains("NET-SNMP version"));
    }

    String text() throws Exception {
        return Files.readString(log);
    }

    /** Received notifications whose line contains every one of {@code parts}. */
    long count(String... parts) throws Exception {
        return text().lines().filter(l -> {
            for (String p : parts) {
                if (!l.contains(p)) {
                    return false;
                }
            }
            return true;
        }).count();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor();
    }
}
