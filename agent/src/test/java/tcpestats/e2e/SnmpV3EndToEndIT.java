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
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SNMPv3 requests with net-snmp: USM users, VACM levels, engine ID and boots kept in persistentDir. */
@ExtendWith(KernelRequired.class)
class SnmpV3EndToEndIT {
    private static final String AUTH = "authpass-4898";
    private static final String PRIV = "privpass-4898";
    private static final String CONNECT_ID_TABLE = "1.3.6.1.2.1.156.1.1.2";

    private static Processes.Result v3(AgentProcess agent, String tool, List<String> security, String... oids)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tool, "-v3", "-On", "-t", "1", "-r", "0"));
        cmd.addAll(security);
        cmd.add("127.0.0.1:" + agent.port);
        cmd.addAll(List.of(oids));
        return Processes.run(cmd, 60);
    }

    private static long counter(AgentProcess agent, List<String> security, String oid) throws Exception {
        Processes.Result r = v3(agent, "snmpget", security, "-Ovq", oid);
        assertEquals(0, r.exitCode(), r.stderr());
        return Long.parseLong(r.stdout().strip());
    }

    private static List<String> authPriv(String user, String auth, String authPass, String privPass) {
        return List.of("-l", "authPriv", "-u", user, "-a", auth, "-A", authPass, "-x", "AES", "-X", privPass);
    }

    private static AgentProcess start(Path dir) throws Exception {
        Files.createDirectories(dir);
        // AgentProcess waits for a v2c answer: give it a community that sees only sysDescr
        return AgentProcess.start(dir, "probe", "rocommunity probe 127.0.0.1 .1.3.6.1.2.1.1.1",
                "createUser admin SHA-256 " + AUTH + " AES " + PRIV,
                "createUser signer SHA-512 " + AUTH,
                "rouser admin priv", "rouser signer auth .1.3.6.1.2.1.1",
                "persistentDir " + dir.getParent().resolve("state"));
    }

    @Test
    void authPrivWalksAndEverythingWeakerOrWrongIsRefused(@TempDir Path dir) throws Exception {
        try (AgentProcess agent = start(dir.resolve("agent"));
             LoopbackConnection c = new LoopbackConnection(InetAddress.getLoopbackAddress(), 999)) {
            String tuple = "1.4.127.0.0.1." + c.clientPort() + ".1.4.127.0.0.1." + c.serverPort();
            Processes.Result walk = v3(agent, "snmpbulkwalk", authPriv("admin", "SHA-256", AUTH, PRIV), CONNECT_ID_TABLE);
            assertEquals(0, walk.exitCode(), walk.stderr());
            assertTrue(walk.stdout().contains(tuple), "authPriv walk: " + walk.stdout());

            Processes.Result wrongPass = v3(agent, "snmpget", authPriv("admin", "SHA-256", "wrongpass-1", PRIV),
                    "1.3.6.1.2.1.1.1.0");
            assertNotEquals(0, wrongPass.exitCode());
            assertTrue(wrongPass.stderr().contains("Authentication fail"), wrongPass.stderr());
            Processes.Result wrongProtocol = v3(agent, "snmpget", authPriv("admin", "SHA-512", AUTH, PRIV),
                    "1.3.6.1.2.1.1.1.0");
            assertNotEquals(0, wrongProtocol.exitCode());
            assertTrue(wrongProtocol.stderr().contains("Authentication fail"), wrongProtocol.stderr());
            Processes.Result unknown = v3(agent, "snmpget", authPriv("mallory", "SHA-256", AUTH, PRIV),
                    "1.3.6.1.2.1.1.1.0");
            assertNotEquals(0, unknown.exitCode(), "unknown user: " + unknown.stdout());
            // the agent's unauthenticated usmStatsUnknownUserNames report, not a timeout
            assertTrue(unknown.stderr().contains("Unknown user name"), unknown.stderr());
            // the refusals are counted in SNMP-USER-BASED-SM-MIB
            List<String> admin = authPriv("admin", "SHA-256", AUTH, PRIV);
            assertTrue(counter(agent, admin, "1.3.6.1.6.3.15.1.1.3.0") > 0, "usmStatsUnknownUserNames");
            assertTrue(counter(agent, admin, "1.3.6.1.6.3.15.1.1.5.0") > 0, "usmStatsWrongDigests");
            // admin is rouser ... priv: authNoPriv and noAuthNoPriv requests see nothing
            Processes.Result authOnly = v3(agent, "snmpget", List.of("-l", "authNoPriv", "-u", "admin", "-a",
                    "SHA-256", "-A", AUTH), "1.3.6.1.2.1.1.1.0");
            assertFalse(authOnly.stdout().contains("STRING"), "authNoPriv is below priv: " + authOnly.stdout());
            Processes.Result noAuth = v3(agent, "snmpget", List.of("-l", "noAuthNoPriv", "-u", "admin"),
                    "1.3.6.1.2.1.1.1.0");
            assertFalse(noAuth.stdout().contains("STRING"), "noAuthNoPriv: " + noAuth.stdout() + noAuth.stderr());
            // signer (auth, SHA-512, no privacy key) reads its subtree only
            List<String> signer = List.of("-l", "authNoPriv", "-u", "signer", "-a", "SHA-512", "-A", AUTH);
            assertTrue(v3(agent, "snmpget", signer, "1.3.6.1.2.1.1.1.0").stdout().contains("STRING"));
            assertFalse(v3(agent, "snmpbulkwalk", signer, CONNECT_ID_TABLE).stdout().contains(tuple),
                    "signer's view ends at .1.3.6.1.2.1.1");
            // SNMPv2c: only the configured community, and only its subtree
            Processes.Result v2c = agent.snmp("snmpbulkwalk", "probe", CONNECT_ID_TABLE);
            assertFalse(v2c.stdout().contains(tuple), v2c.stdout());
            Processes.Result bad = agent.snmp("snmpget", "public", "1.3.6.1.2.1.1.1.0");
            assertTrue(bad.stderr().contains("Timeout"), "unknown community: " + bad.stdout() + bad.stderr());
            assertFalse(agent.logText().contains(AUTH) || agent.logText().contains(PRIV), "no secret in the log");
            assertEquals(0, agent.stop());
        }
    }

    /** The promise: conf/estats-agent.conf as shipped is SNMPv3 authPriv only, on loopback. */
    @Test
    void theShippedExampleServesAuthPrivOnlyOnLoopback(@TempDir Path dir) throws Exception {
        List<String> shipped = Files.readAllLines(AgentProcess.ROOT.resolve("conf/estats-agent.conf"));
        assertTrue(shipped.stream().anyMatch(l -> l.matches("agentAddress udp:127\\.0\\.0\\.1:\\d+")), "loopback");
        // only the port (a free one) and the state directory (a temporary one) change; the commented
        // group/access example is switched on
        List<String> lines = new ArrayList<>(shipped.stream()
                .filter(l -> !l.startsWith("agentAddress") && !l.startsWith("persistentDir"))
                .map(l -> l.matches("#(createUser tuner|group tuners|access tuners) .*") ? l.substring(1) : l)
                .toList());
        lines.add("persistentDir " + dir.resolve("state"));
        List<String> example = authPriv("estats", "SHA-256", "change-me-please", "change-me-please");
        List<String> probe = new ArrayList<>(List.of("-v3"));
        probe.addAll(example);
        try (AgentProcess agent = AgentProcess.start(dir, probe, lines);
             LoopbackConnection c = new LoopbackConnection(InetAddress.getLoopbackAddress(), 999)) {
            String tuple = "1.4.127.0.0.1." + c.clientPort() + ".1.4.127.0.0.1." + c.serverPort();
            Processes.Result walk = v3(agent, "snmpbulkwalk", example, "1.3.6.1.2.1.156");
            assertEquals(0, walk.exitCode(), walk.stderr());
            assertTrue(walk.stdout().contains(CONNECT_ID_TABLE + ".1.1." + tuple), "authPriv walk: " + walk.stdout());
            assertTrue(v3(agent, "snmpbulkwalk", example, "1.3.6.1.2.1.6.19").stdout().contains(tuple),
                    "tcpConnectionTable is in the example's view");
            // outside the view: the USM statistics exist, but not for this user
            assertTrue(v3(agent, "snmpget", example, "1.3.6.1.6.3.15.1.1.3.0").stdout().contains("No Such Object"));
            Processes.Result authOnly = v3(agent, "snmpget", List.of("-l", "authNoPriv", "-u", "estats", "-a",
                    "SHA-256", "-A", "change-me-please"), "1.3.6.1.2.1.1.1.0");
            assertFalse(authOnly.stdout().contains("STRING"), "authNoPriv: " + authOnly.stdout());
            // tcpEStatsControlTune.0: the tuner's access line has a write view, rouser estats has none
            String tune = "1.3.6.1.2.1.156.1.2.4.0";
            Processes.Result refused = v3(agent, "snmpset", example, tune, "i", "1");
            assertTrue(refused.stderr().contains("noAccess") || refused.stderr().contains("notWritable"),
                    refused.stdout() + refused.stderr());
            Processes.Result set = v3(agent, "snmpset", List.of("-l", "authPriv", "-u", "tuner", "-a", "SHA-512",
                    "-A", "change-me-please", "-x", "AES-256", "-X", "change-me-please"), tune, "i", "1");
            assertEquals(0, set.exitCode(), set.stderr());
            assertTrue(v3(agent, "snmpget", example, tune).stdout().contains("INTEGER: 1"));
            for (String community : List.of("public", "private")) {
                Processes.Result v2c = agent.snmp("snmpget", community, "1.3.6.1.2.1.1.1.0");
                assertTrue(v2c.stderr().contains("Timeout"), "v2c " + community + ": " + v2c.stdout() + v2c.stderr());
            }
            assertTrue(agent.logText().contains("example one of conf/estats-agent.conf"), agent.logText());
            assertFalse(agent.logText().contains("change-me-please"), "no secret in the log");
            assertEquals(0, agent.stop());
        }
    }

    @Test
    void engineIdStaysAndBootsGrowAcrossRestarts(@TempDir Path dir) throws Exception {
        String[] engine = new String[2];
        long[] boots = new long[2];
        for (int i = 0; i < 2; i++) {
            try (AgentProcess agent = start(dir.resolve("run" + i))) {
                List<String> admin = authPriv("admin", "SHA-256", AUTH, PRIV);
                engine[i] = v3(agent, "snmpget", admin, "-Ovq", "-Ox", "1.3.6.1.6.3.10.2.1.1.0").stdout().strip();
                boots[i] = Long.parseLong(v3(agent, "snmpget", admin, "-Ovq", "1.3.6.1.6.3.10.2.1.2.0").stdout()
                        .strip());
                assertEquals(0, agent.stop());
                // the first start creates the file: said at INFO, without SNMP4J's warning that it is missing
                assertEquals(i == 0, agent.logText().contains("first start with persistentDir"), agent.logText());
                assertFalse(agent.logText().contains(" WARN  EngineBootsCounterFile"), agent.logText());
            }
        }
        assertFalse(engine[0].isEmpty());
        assertEquals(engine[0], engine[1], "snmpEngineID is kept in persistentDir");
        assertEquals(boots[0] + 1, boots[1], "snmpEngineBoots grows by one per start");
    }
}
