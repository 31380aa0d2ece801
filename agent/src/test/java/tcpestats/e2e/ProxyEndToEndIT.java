package tcpestats.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tcpestats.support.Await;
import tcpestats.support.KernelRequired;
import tcpestats.support.LoopbackConnection;
import tcpestats.support.Processes;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
    /** snmpd reaches the agent as an SNMPv3 user with authPriv, as the README shows. */
    private static final List<String> PROXY_USER = List.of("-v3", "-l", "authPriv", "-u", "proxy", "-a",
            "SHA-256", "-A", "proxypass-4898", "-x", "AES", "-X", "proxypass-4898");
    private static final List<String> V2C = List.of("-v2c", "-c", "public");

    /** net-snmp's snmpd with only the configuration given (-C), its state in {@code dir}. */
    private static final class Snmpd implements AutoCloseable {
        final int port;
        private final Process process;

        Snmpd(Path dir, int agentPort) throws Exception {
            port = AgentProcess.freeUdpPort();
            Path conf = dir.resolve("snmpd.conf");
            Files.write(conf, List.of("rocommunity public 127.0.0.1",
                    "proxy " + String.join(" ", PROXY_USER).replace("-v3", "-v 3") + " 127.0.0.1:" + agentPort + " ." + ESTATS));
            ProcessBuilder pb = new ProcessBuilder("snmpd", "-f", "-C", "-c", conf.toString(),
                    "-Lf", dir.resolve("snmpd.log").toString(), "-p", dir.resolve("snmpd.pid").toString(),
                    "udp:127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(dir.resolve("snmpd.out").toFile());
            pb.environment().put("SNMP_PERSISTENT_DIR", dir.resolve("persist").toString());
            process = pb.start();
            for (int i = 0; i < 50; i++) {
                if (walk(port, V2C, "1.3.6.1.2.1.1.1").exitCode() == 0) {
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

    private static Processes.Result walk(int port, List<String> security, String oid) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("snmpbulkwalk"));
        cmd.addAll(security);
        cmd.addAll(List.of("-On", "-t", "2", "-r", "1", "127.0.0.1:" + port, oid));
        return Processes.run(cmd, 60);
    }

    /** Through snmpd: the NMS side is snmpd's business, v2c here. */
    private static Processes.Result proxied(Snmpd snmpd, String oid) throws Exception {
        return walk(snmpd.port, V2C, oid);
    }

    private static Processes.Result direct(AgentProcess agent, String oid) throws Exception {
        return walk(agent.port, PROXY_USER, oid);
    }

    @Test
    void snmpdProxiesTheSubtreeAndReturnsTheAgentsRows(@TempDir Path dir) throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir, PROXY_USER,
                List.of("createUser proxy SHA-256 proxypass-4898 AES proxypass-4898", "rouser proxy priv -V estats",
                        "view estats included .1.3.6.1.2.1.156", "view estats included .1.3.6.1.2.1.1",
                        "persistentDir " + dir.resolve("state")));
             Snmpd snmpd = new Snmpd(Files.createDirectories(dir.resolve("snmpd")), agent.port);
             LoopbackConnection c = new LoopbackConnection(InetAddress.getLoopbackAddress(), 54_321)) {
            String tuple = "1.4.127.0.0.1." + c.clientPort() + ".1.4.127.0.0.1." + c.serverPort();
            // a snapshot taken just before the connection opened serves estatsSnapshotMaxAge
            Await.until("the connection in a direct walk", Duration.ofSeconds(5), () -> {
                String walked = direct(agent, CONNECT_ID_TABLE).stdout();
                return walked.contains("." + tuple + " = ") ? null : walked;
            });
            // another process may open or close a connection between two walks: the walk through
            // snmpd must equal a direct walk just before or just after it
            String before = direct(agent, CONNECT_ID_TABLE).stdout();
            Processes.Result proxied = proxied(snmpd, CONNECT_ID_TABLE);
            String after = direct(agent, CONNECT_ID_TABLE).stdout();
            assertEquals(0, proxied.exitCode(), proxied.stderr());
            assertTrue(proxied.stdout().equals(before) || proxied.stdout().equals(after),
                    "through snmpd:\n" + proxied.stdout() + "\ndirect:\n" + before);
            Matcher m = Pattern.compile(Pattern.quote("." + CONNECT_ID_TABLE + ".1.1." + tuple) + " = Gauge32: (\\d+)")
                    .matcher(proxied.stdout());
            assertTrue(m.find(), "the test's connection through snmpd: " + proxied.stdout());

            Processes.Result octets = proxied(snmpd, HC_DATA_OCTETS_OUT + m.group(1));
            assertTrue(octets.stdout().contains("Counter64: 54321"), "its statistics through snmpd: " + octets.stdout());

            // a walk of the whole subtree ends where the agent's tables end, with the same objects
            List<String> proxiedOids = oids(proxied(snmpd, ESTATS + ".1.1.3").stdout());
            List<String> directOids = oids(direct(agent, ESTATS + ".1.1.3").stdout());
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
