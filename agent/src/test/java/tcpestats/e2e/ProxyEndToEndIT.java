package tcpestats.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tcpestats.support.KernelRequired;
import tcpestats.support.LoopbackConnection;
import tcpestats.support.Processes;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Beside the host's net-snmp: a real snmpd forwards the TCP-ESTATS-MIB subtree to the agent
 * with its proxy directive, so an NMS keeps asking snmpd.
 */
@ExtendWith(KernelRequired.class)
class ProxyEndToEndIT {
    private static final String ESTATS = "1.3.6.1.2.1.156";
    private static final String CONNECT_ID_TABLE = ESTATS + ".1.1.2";
    private static final String HC_DATA_OCTETS_OUT = ESTATS + ".1.1.3.1.4.";

    /** net-snmp's snmpd with only the configuration given (-C), its state in {@code dir}. */
    private static final class Snmpd implements AutoCloseable {
        final int port;
        private final Process process;

        Snmpd(Path dir, int agentPort) throws Exception {
            port = AgentProcess.freeUdpPort();
            Path conf = dir.resolve("snmpd.conf");
            Files.write(conf, List.of("rocommunity public 127.0.0.1",
                    "proxy -v 2c -c public 127.0.0.1:" + agentPort + " ." + ESTATS));
            ProcessBuilder pb = new ProcessBuilder("snmpd", "-f", "-C", "-c", conf.toString(),
                    "-Lf", dir.resolve("snmpd.log").toString(), "-p", dir.resolve("snmpd.pid").toString(),
                    "udp:127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(dir.resolve("snmpd.out").toFile());
            pb.environment().put("SNMP_PERSISTENT_DIR", dir.resolve("persist").toString());
            process = pb.start();
            for (int i = 0; i < 50; i++) {
                if (walk(port, "1.3.6.1.2.1.1.1").exitCode() == 0) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new AssertionError("snmpd did not answer: " + Files.readString(dir.resolve("snmpd.log")));
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static Processes.Result walk(int port, String oid) throws Exception {
        return Processes.run(List.of("snmpbulkwalk", "-v2c", "-c", "public", "-On", "-t", "2", "-r", "1",
                "127.0.0.1:" + port, oid), 60);
    }

    @Test
    void snmpdProxiesTheSubtreeAndReturnsTheAgentsRows(@TempDir Path dir) throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir, "public", "rocommunity public 127.0.0.1");
             Snmpd snmpd = new Snmpd(Files.createDirectories(dir.resolve("snmpd")), agent.port);
             LoopbackConnection c = new LoopbackConnection(InetAddress.getLoopbackAddress(), 54_321)) {
            String tuple = "1.4.127.0.0.1." + c.clientPort() + ".1.4.127.0.0.1." + c.serverPort();
            // another process may open or close a connection between two walks: the walk through
            // snmpd must equal a direct walk just before or just after it
            String before = walk(agent.port, CONNECT_ID_TABLE).stdout();
            Processes.Result proxied = walk(snmpd.port, CONNECT_ID_TABLE);
            String after = walk(agent.port, CONNECT_ID_TABLE).stdout();
            assertEquals(0, proxied.exitCode(), proxied.stderr());
            assertTrue(proxied.stdout().equals(before) || proxied.stdout().equals(after),
                    "through snmpd:\n" + proxied.stdout() + "\ndirect:\n" + before);
            Matcher m = Pattern.compile(Pattern.quote("." + CONNECT_ID_TABLE + ".1.1." + tuple) + " = Gauge32: (\\d+)")
                    .matcher(proxied.stdout());
            assertTrue(m.find(), "the test's connection through snmpd: " + proxied.stdout());

            Processes.Result octets = walk(snmpd.port, HC_DATA_OCTETS_OUT + m.group(1));
            assertTrue(octets.stdout().contains("Counter64: 54321"), "its statistics through snmpd: " + octets.stdout());

            // a walk of the whole subtree ends where the agent's tables end, with the same objects
            List<String> proxiedOids = oids(walk(snmpd.port, ESTATS + ".1.1.3").stdout());
            List<String> directOids = oids(walk(agent.port, ESTATS + ".1.1.3").stdout());
            assertTrue(proxiedOids.size() > 10, proxiedOids.toString());
            assertTrue(proxiedOids.stream().allMatch(o -> o.startsWith("." + ESTATS + ".1.1.3.")), proxiedOids.toString());
            assertEquals(directOids.stream().filter(o -> o.endsWith("." + m.group(1))).toList(),
                    proxiedOids.stream().filter(o -> o.endsWith("." + m.group(1))).toList());
            assertEquals(0, agent.stop());
        }
    }

    private static List<String> oids(String walk) {
        return walk.lines().map(l -> l.substring(0, l.indexOf(" = "))).toList();
    }
}
