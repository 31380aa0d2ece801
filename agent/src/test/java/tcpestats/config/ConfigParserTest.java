package tcpestats.config;

import tcpestats.collect.Control;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigParserTest {
    private static AgentConfig parse(String... lines) throws ConfigException {
        return ConfigParser.parse("test.conf", List.of(lines));
    }

    private static String error(String... lines) {
        return assertThrows(ConfigException.class, () -> parse(lines)).getMessage();
    }

    @Test
    void theShippedExampleParses() throws Exception {
        Path root = Path.of(System.getProperty("estats.root", ".."));
        AgentConfig cfg = ConfigParser.parse(root.resolve("conf/estats-agent.conf"));
        assertEquals(List.of(), cfg.vacm().communities(), "SNMPv3 only: no community");
        assertEquals(1, cfg.users().size());
        assertEquals(List.of(Vacm.Level.PRIV), cfg.vacm().accesses().stream().map(Vacm.Access::level).toList());
        assertTrue(cfg.addresses().stream().allMatch(a -> a.host().isLoopbackAddress()), "loopback only");
        assertTrue(cfg.persistentDir().isPresent());
    }

    @Test
    void snmpdDirectivesWithTheirMeaning() throws Exception {
        AgentConfig cfg = parse(
                "# comment",
                "",
                "agentAddress udp:127.0.0.1:1161,udp6:[::1]:1162",
                "AGENTADDRESS 9161",
                "sysLocation  rack 4, row 2",
                "sysContact ops@example.net",
                "estatsSnapshotMaxAge 250");
        assertEquals(List.of(new AgentAddress(InetAddress.getByName("127.0.0.1"), 1161),
                new AgentAddress(InetAddress.getByName("::1"), 1162),
                new AgentAddress(InetAddress.getByName("0.0.0.0"), 9161)), cfg.addresses());
        assertEquals("rack 4, row 2", cfg.sysLocation().orElseThrow());
        assertEquals(250, cfg.snapshotMaxAgeMillis());
    }

    @Test
    void controlDirectivesAreNamedAfterTheirObjects() throws Exception {
        AgentConfig cfg = parse("tcpEStatsControlPath true", "TCPESTATSCONTROLSTACK yes", "tcpEStatsControlApp false",
                "tcpEStatsConnTableLatency 30");
        assertTrue(cfg.control(Control.PATH));
        assertTrue(cfg.control(Control.STACK));
        assertEquals(false, cfg.control(Control.APP));
        assertEquals(false, cfg.control(Control.TUNE), "RFC 4898 DEFVAL false");
        assertEquals(30, cfg.connTableLatency());
        assertEquals(0, parse().connTableLatency(), "RFC 4898 DEFVAL 0");
    }

    @Test
    void defaultsAreLoopbackPort161AndHalfASecond() throws Exception {
        AgentConfig cfg = parse();
        assertEquals(List.of(new AgentAddress(InetAddress.getLoopbackAddress(), 161)), cfg.addresses());
        assertEquals(500, cfg.snapshotMaxAgeMillis());
    }

    @Test
    void errorsNameFileLineAndWhatIsExpected() {
        assertTrue(error("sysLocation here", "rwcommunityy private").startsWith(
                "test.conf:2: unknown directive 'rwcommunityy'; expected one of agentAddress, rocommunity, "));
        assertTrue(error("tcpEStatsControlPath maybe").contains(
                "tcpEStatsControlPath takes true or false, e.g. 'tcpEStatsControlPath true'"));
        assertTrue(error("tcpEStatsConnTableLatency -5").contains("tcpEStatsConnTableLatency takes seconds"));
        assertTrue(error("agentAddress udp:127.0.0.1:99999").startsWith("test.conf:1: agentAddress: "));
        assertTrue(error("agentAddress tcp:127.0.0.1:161").contains("transport 'tcp' is not supported"));
        assertTrue(error("agentAddress").contains("agentAddress needs an address"));
        assertTrue(error("sysContact").contains("sysContact needs a text value"));
        assertTrue(error("estatsSnapshotMaxAge soon").contains("estatsSnapshotMaxAge takes milliseconds"));
        assertTrue(error("estatsSnapshotMaxAge -1").contains("estatsSnapshotMaxAge takes milliseconds"));
    }

    @Test
    void unreadableFileIsOneLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigParser.parse(Path.of("/nonexistent/estats.conf")));
        assertTrue(e.getMessage().startsWith("/nonexistent/estats.conf: cannot read the configuration file"));
    }
}
