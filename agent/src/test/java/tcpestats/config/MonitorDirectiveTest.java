package tcpestats.config;

import org.junit.jupiter.api.Test;
import org.snmp4j.smi.OID;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MonitorDirectiveTest {
    private static MonitorRule rule(String arguments) throws ConfigException {
        return ConfigParser.parse("test.conf", List.of("monitor " + arguments)).monitors().getFirst();
    }

    private static String error(String... lines) {
        return assertThrows(ConfigException.class, () -> ConfigParser.parse("test.conf", List.of(lines)))
                .getMessage();
    }

    @Test
    void thresholdWithDeltaFrequencyAndExtraVarbinds() throws Exception {
        MonitorRule r = rule("-r 10 -D -o tcpEStatsConnectIndex -o TCP-ESTATS-MIB::tcpEStatsPerfSmoothedRTT "
                + "\"retrans climbing\" tcpEStatsPerfSegsRetrans 5 50");
        assertEquals("retrans climbing", r.name());
        assertEquals("tcpEStatsPerfSegsRetrans", r.variable().name());
        assertTrue(r.wildcard());
        assertEquals(10, r.frequencySeconds());
        assertTrue(r.delta());
        assertTrue(r.startup());
        assertEquals(new MonitorRule.Threshold(5, 50), r.test());
        assertEquals(List.of("tcpEStatsConnectIndex", "tcpEStatsPerfSmoothedRTT"),
                r.extras().stream().map(v -> v.name()).toList());
    }

    @Test
    void booleanOnOneInstanceByNumericOidWithNetSnmpDefaults() throws Exception {
        // tcpEStatsPerfSmoothedRTT is column 17 of tcpEStatsPerfEntry
        MonitorRule r = rule("-S rtt .1.3.6.1.2.1.156.1.1.3.1.17.7 >= 200");
        assertEquals("tcpEStatsPerfSmoothedRTT", r.variable().name());
        assertEquals(new OID("7"), r.instance());
        assertEquals(MonitorRule.DEFAULT_FREQUENCY_SECONDS, r.frequencySeconds());
        assertFalse(r.delta());
        assertFalse(r.startup());
        assertEquals(new MonitorRule.Boolean(MonitorRule.Comparison.GREATER_OR_EQUAL, 200), r.test());
        assertEquals(new OID("7"), rule("x tcpEStatsPerfSmoothedRTT.7 != 0").instance());
        assertEquals(300, rule("-r 5m x tcpEStatsPerfSmoothedRTT == 0").frequencySeconds());
    }

    @Test
    void everyComparisonOperatorOfNetSnmp() throws Exception {
        for (MonitorRule.Comparison c : MonitorRule.Comparison.values()) {
            assertEquals(c, ((MonitorRule.Boolean) rule("x tcpEStatsPerfZeroRwinRcvd " + c.operator + " 3").test())
                    .comparison());
        }
        assertTrue(MonitorRule.Comparison.LESS_OR_EQUAL.holds(3, 3));
        assertFalse(MonitorRule.Comparison.LESS.holds(3, 3));
    }

    @Test
    void theCommentedExamplesOfTheShippedConfigParse() throws Exception {
        Path root = Path.of(System.getProperty("estats.root", ".."));
        List<String> examples = Files.readAllLines(root.resolve("conf/estats-agent.conf")).stream()
                .filter(l -> l.startsWith("#monitor") || l.startsWith("#estatsMonitorRateLimit"))
                .map(l -> l.substring(1)).toList();
        AgentConfig cfg = ConfigParser.parse("examples", examples);
        assertEquals(List.of("slowRtt", "retransmitting", "zeroWindow", "backlogFull"),
                cfg.monitors().stream().map(MonitorRule::name).toList());
        assertEquals(AgentConfig.DEFAULT_MONITOR_RATE_LIMIT, cfg.monitorRateLimit());
    }

    @Test
    void malformedRulesAreErrorsThatNameTheProblem() {
        assertTrue(error("monitor -e sendTrap x tcpEStatsPerfSegsRetrans 0 5").contains("option -e"));
        assertTrue(error("monitor -u admin x tcpEStatsPerfSegsRetrans 0 5").contains("option -u"));
        assertTrue(error("monitor -I x tcpEStatsPerfSegsRetrans 0 5").contains("option -I"));
        assertTrue(error("monitor -q x tcpEStatsPerfSegsRetrans 0 5").contains("option -q is not supported"));
        assertTrue(error("monitor -r x tcpEStatsPerfSegsRetrans 0 5").contains("-r x"));
        assertTrue(error("monitor -r 0 x tcpEStatsPerfSegsRetrans 0 5").contains("frequency"));
        assertTrue(error("monitor -r").contains("option -r needs a value"));
        assertTrue(error("monitor x tcpEStatsPerfSegsRetrans").contains("existence tests"));
        assertTrue(error("monitor x !tcpEStatsPerfSegsRetrans").contains("existence tests"));
        assertTrue(error("monitor x tcpEStatsPerfSegsRetrans 0 5 9").contains("expected monitor"));
        assertTrue(error("monitor x tcpEStatsPerfSegsRetrans 50 5").contains("MIN 50 is above MAX 5"));
        assertTrue(error("monitor x tcpEStatsPerfSegsRetrans =~ 5").contains("'=~' is not a number"));
        assertTrue(error("monitor x tcpEStatsPerfSegsRetrans > five").contains("'five' is not a number"));
        assertTrue(error("monitor x ifInOctets > 5").contains("'ifInOctets' names no object"));
        assertTrue(error("monitor x tcpEStatsControlNotify == 1").contains("is a scalar"));
        assertTrue(error("monitor x .1.3.6.1.2.1.2.2.1.10 > 5").contains("not in a column"));
        assertTrue(error("monitor x tcpEStatsPerfSegsRetrans.a > 5").contains("instance must be numeric"));
        assertTrue(error("monitor x tcpEStatsStackSendStall > 5").contains("is not served"));
        assertTrue(error("monitor -o tcpEStatsListenerCurConns x tcpEStatsPerfSegsRetrans > 5")
                .contains("no row in common"));
        assertTrue(error("monitor -o tcpEStatsPerfSmoothedRTT.3 x tcpEStatsPerfSegsRetrans > 5")
                .contains("without instance"));
        assertTrue(error("monitor \"x tcpEStatsPerfSegsRetrans > 5").contains("double quote"));
        String duplicate = error("monitor x tcpEStatsPerfSegsRetrans > 5", "monitor x tcpEStatsPerfSegsRetrans > 6");
        assertTrue(duplicate.startsWith("test.conf:2: monitor: a rule named 'x' is already defined"), duplicate);
        assertTrue(error("estatsMonitorRateLimit 0").contains("estatsMonitorRateLimit takes notifications per second"));
    }
}
