package tcpestats.config;

import org.junit.jupiter.api.Test;
import org.snmp4j.smi.OID;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
        assertEquals(1, cfg.communities().size());
        assertTrue(Files.exists(root.resolve("conf/estats-agent.conf")));
    }

    @Test
    void snmpdDirectivesWithTheirMeaning() throws Exception {
        AgentConfig cfg = parse(
                "# comment",
                "",
                "agentAddress udp:127.0.0.1:1161,udp6:[::1]:1162",
                "AGENTADDRESS 9161",
                "rocommunity public",
                "rocommunity lan 10.0.0.0/255.0.0.0 .1.3.6.1.2.1.156",
                "rocommunity6 v6 ::1",
                "sysLocation  rack 4, row 2",
                "sysContact ops@example.net",
                "estatsSnapshotMaxAge 250");
        assertEquals(List.of(new AgentAddress(InetAddress.getByName("127.0.0.1"), 1161),
                new AgentAddress(InetAddress.getByName("::1"), 1162),
                new AgentAddress(InetAddress.getByName("0.0.0.0"), 9161)), cfg.addresses());
        assertNull(cfg.communities().get(0).source());
        assertEquals(new OID("1"), cfg.communities().get(0).subtree());
        Community lan = cfg.communities().get(1);
        assertEquals("10.0.0.0/8", lan.source().toString());
        assertEquals(new OID("1.3.6.1.2.1.156"), lan.subtree());
        assertEquals(128, cfg.communities().get(2).source().prefixLength());
        assertEquals("rack 4, row 2", cfg.sysLocation().orElseThrow());
        assertEquals(250, cfg.snapshotMaxAgeMillis());
    }

    @Test
    void controlDirectivesAreNamedAfterTheirObjects() throws Exception {
        AgentConfig cfg = parse("tcpEStatsControlPath true", "TCPESTATSCONTROLSTACK yes", "tcpEStatsControlApp false",
                "tcpEStatsConnTableLatency 30");
        assertTrue(cfg.control("tcpEStatsControlPath"));
        assertTrue(cfg.control("tcpEStatsControlStack"));
        assertEquals(false, cfg.control("tcpEStatsControlApp"));
        assertEquals(false, cfg.control("tcpEStatsControlTune"), "RFC 4898 DEFVAL false");
        assertEquals(30, cfg.connTableLatency());
        assertEquals(0, parse().connTableLatency(), "RFC 4898 DEFVAL 0");
    }

    @Test
    void defaultsAreLoopbackPort161AndHalfASecond() throws Exception {
        AgentConfig cfg = parse("rocommunity public");
        assertEquals(List.of(new AgentAddress(InetAddress.getLoopbackAddress(), 161)), cfg.addresses());
        assertEquals(500, cfg.snapshotMaxAgeMillis());
    }

    @Test
    void sourceMaskOctets() throws Exception {
        SourceNetwork s = parse("rocommunity x 192.168.0.0/20").communities().getFirst().source();
        assertEquals(List.of((byte) 255, (byte) 255, (byte) 0xf0, (byte) 0), List.of(
                s.mask()[0], s.mask()[1], s.mask()[2], s.mask()[3]));
    }

    @Test
    void errorsNameFileLineAndWhatIsExpected() {
        assertTrue(error("rocommunity public", "rwcommunityy private").startsWith(
                "test.conf:2: unknown directive 'rwcommunityy'; expected one of agentAddress, rocommunity, "));
        assertTrue(error("tcpEStatsControlPath maybe").contains(
                "tcpEStatsControlPath takes true or false, e.g. 'tcpEStatsControlPath true'"));
        assertTrue(error("tcpEStatsConnTableLatency -5").contains("tcpEStatsConnTableLatency takes seconds"));
        assertTrue(error("agentAddress udp:127.0.0.1:99999").startsWith("test.conf:1: agentAddress: "));
        assertTrue(error("agentAddress tcp:127.0.0.1:161").contains("transport 'tcp' is not supported"));
        assertTrue(error("agentAddress").contains("agentAddress needs an address"));
        assertTrue(error("rocommunity").contains("expected rocommunity COMMUNITY [SOURCE [OID]]"));
        assertTrue(error("rocommunity a b c d").contains("expected rocommunity COMMUNITY"));
        assertTrue(error("rocommunity a 10.0.0.0/33").contains("SOURCE '10.0.0.0/33' must be"));
        assertTrue(error("rocommunity a 255.0.255.0/255.0.255.0").contains("not contiguous"));
        assertTrue(error("rocommunity a somehost").contains("SOURCE 'somehost' must be"));
        assertTrue(error("rocommunity a ::1").contains("is IPv6; use rocommunity6"));
        assertTrue(error("rocommunity a default -V all").contains("'-V VIEW' is not supported yet"));
        assertTrue(error("rocommunity a default system").contains("'system' is not a numeric OID"));
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
