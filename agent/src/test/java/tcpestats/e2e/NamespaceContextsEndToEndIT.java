package tcpestats.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tcpestats.support.Await;
import tcpestats.support.KernelRequired;
import tcpestats.support.Processes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every network namespace is a context netns:INODE: real namespaces made with ip netns, before
 * and after the agent starts, the same 4-tuple in two of them, read with a v2c community that
 * com2sec -Cn maps to one context and with SNMPv3 -n, compared with ss inside each namespace.
 */
@ExtendWith(KernelRequired.class)
class NamespaceContextsEndToEndIT {
    private static final String AUTH = "authpass-4898";
    private static final String PRIV = "privpass-4898";
    private static final String TCP_CONNECTION_STATE = "1.3.6.1.2.1.6.19.1.7";
    private static final String VACM_CONTEXT_NAME = "1.3.6.1.6.3.16.1.1.1.1";
    private static final String CONNECT_INDEX = "1.3.6.1.2.1.156.1.1.2.1.1";
    private static final String PERF_HC_DATA_OCTETS_OUT = "1.3.6.1.2.1.156.1.1.3.1.4";
    private static List<String> v3(String context) {
        List<String> security = new ArrayList<>(List.of("-v3", "-l", "authPriv", "-u", "ops", "-a", "SHA-256", "-A",
                AUTH, "-x", "AES", "-X", PRIV));
        if (context != null) {
            security.addAll(List.of("-n", context));
        }
        return security;
    }

    /** (local, remote) -> tcpConnectionState from a walk of tcpConnectionTable (IPv4 rows). */
    private static Map<String, String> walkConnections(AgentProcess agent, List<String> security) throws Exception {
        Processes.Result r = agent.request("snmpbulkwalk", security, TCP_CONNECTION_STATE);
        assertEquals(0, r.exitCode(), r.stderr());
        Pattern row = Pattern.compile("\\.1\\.4\\.(\\d+\\.\\d+\\.\\d+\\.\\d+)\\.(\\d+)\\.1\\.4\\."
                + "(\\d+\\.\\d+\\.\\d+\\.\\d+)\\.(\\d+) = INTEGER: \\D*(\\d+)");
        Map<String, String> out = new TreeMap<>();
        for (String line : r.stdout().split("\n")) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                out.put(m.group(1) + ":" + m.group(2) + " " + m.group(3) + ":" + m.group(4), m.group(5));
            }
        }
        return out;
    }

    private static void await(String what, Await.Check check) throws Exception {
        Await.until(what, Duration.ofSeconds(20), check);
    }

    private static String contexts(AgentProcess agent) throws Exception {
        return agent.request("snmpbulkwalk", v3(null), VACM_CONTEXT_NAME).stdout();
    }

    @Test
    void eachNamespaceIsAContextWithItsOwnConnections(@TempDir Path dir) throws Exception {
        int clientPort = ThreadLocalRandom.current().nextInt(20000, 30000);
        int serverPort = clientPort + 1;
        int octets = 250_000;
        int trapPort = AgentProcess.freeUdpPort();
        try (IpNetns before = new IpNetns();
             TrapReceiver traps = new TrapReceiver(Files.createDirectories(dir.resolve("trapd")), trapPort, null)) {
            // an idle connection older than the agent
            before.connection(clientPort, serverPort, 0);
            try (AgentProcess agent = AgentProcess.start(Files.createDirectories(dir.resolve("agent")), "public",
                    "rocommunity public 127.0.0.1",
                    "trap2sink 127.0.0.1:" + trapPort + " public",
                    "tcpEStatsControlNotify true",
                    "monitor -r 1 -o tcpEStatsConnectIndex sent tcpEStatsPerfHCDataOctetsOut == " + octets,
                    "com2sec -Cn " + before.context() + " podreader 127.0.0.1 podsecret",
                    "group pods v2c podreader",
                    "view all included .1",
                    "access pods " + before.context() + " v2c noauth exact all none none",
                    "createUser ops SHA-256 " + AUTH + " AES " + PRIV,
                    "group operators usm ops",
                    "access operators \"\" usm priv prefix all all none",
                    "tcpEStatsControlTune true");
                 IpNetns after = new IpNetns()) {
                // the same 4-tuple, in a namespace made while the agent runs, with data
                after.connection(clientPort, serverPort, octets);
                String tuple = "127.0.0.1:" + clientPort + " 127.0.0.1:" + serverPort;

                await("vacmContextTable lists both namespaces", () -> {
                    String walk = contexts(agent);
                    return walk.contains("\"" + before.context() + "\"") && walk.contains("\"" + after.context() + "\"")
                            ? null : walk;
                });

                // the v2c community com2sec -Cn maps to the older namespace's context
                Map<String, String> viaCommunity = walkConnections(agent, List.of("-v2c", "-c", "podsecret"));
                assertEquals(before.ssConnections(), viaCommunity, "context " + before.context() + " against ss");
                assertEquals("5", viaCommunity.get(tuple));
                // SNMPv3 names the context
                await("context " + after.context() + " against ss", () -> {
                    Map<String, String> walked = walkConnections(agent, v3(after.context()));
                    return walked.equals(after.ssConnections()) ? null : walked + " vs ss " + after.ssConnections();
                });
                assertEquals("5", walkConnections(agent, v3(after.context())).get(tuple));
                assertEquals(before.ssConnections(), walkConnections(agent, v3(before.context())));
                // neither connection is the agent's own namespace's
                assertFalse(walkConnections(agent, List.of("-v2c", "-c", "public")).containsKey(tuple));
                assertFalse(walkConnections(agent, v3(null)).containsKey(tuple));

                // each context's statistics are its own connection's: the octets sent in one, none in the other
                String index = "1.4.127.0.0.1." + clientPort + ".1.4.127.0.0.1." + serverPort;
                String afterIndex = connectIndex(agent, v3(after.context()), index);
                assertEquals(String.valueOf(octets), perfOctetsOut(agent, v3(after.context()), afterIndex));
                assertEquals("0", perfOctetsOut(agent, v3(before.context()), connectIndex(agent,
                        v3(before.context()), index)));

                // a Tune SET reaches the connection in its own namespace (root: the agent may enter it)
                String limCwnd = "1.3.6.1.2.1.156.1.1.7.1.1." + afterIndex;
                Processes.Result set = agent.request("snmpset", v3(after.context()), limCwnd, "u", "131000");
                assertEquals(0, set.exitCode(), set.stdout() + set.stderr());
                Matcher limit = Pattern.compile("Gauge32: (\\d+)").matcher(
                        agent.request("snmpget", v3(after.context()), limCwnd).stdout());
                assertTrue(limit.find());
                long applied = Long.parseLong(limit.group(1));
                assertTrue(applied <= 131000 && applied > 131000 - 65536, "whole segments up to 131000: " + applied);

                // notifications name the context: the monitor that fired, the connection that was established
                String hotContext = "DISMAN-EVENT-MIB::mteHotContextName.0 = STRING: " + after.context();
                Await.upTo(Duration.ofSeconds(15), () -> traps.count("mteTriggerFired", hotContext) > 0);
                assertEquals(1, traps.count("mteTriggerFired", hotContext,
                        "mteHotOID.0 = OID: TCP-ESTATS-MIB::tcpEStatsPerfHCDataOctetsOut." + afterIndex + "\t"),
                        traps.text());
                assertEquals(1, traps.count("tcpEStatsEstablishNotification", hotContext, "127.0.0.1\"."
                        + clientPort + ".ipv4.\"127.0.0.1\"." + serverPort + " = Gauge32: " + afterIndex), traps.text());

                // every socket of a namespace, not only those a process holds: a TIME_WAIT end
                before.closedConnection(serverPort + 1);
                assertTrue(before.ssConnections().containsValue("11"), before.ssConnections().toString());
                await("a TIME_WAIT socket in " + before.context(), () -> {
                    Map<String, String> walked = walkConnections(agent, v3(before.context()));
                    return walked.equals(before.ssConnections()) ? null : walked + " vs ss " + before.ssConnections();
                });

                // a namespace that goes loses its context while it is polled
                after.close();
                await("the context of a deleted namespace goes", () -> {
                    String walk = contexts(agent);
                    return walk.contains("\"" + after.context() + "\"") ? walk : null;
                });
                Processes.Result gone = agent.request("snmpbulkwalk", v3(after.context()), TCP_CONNECTION_STATE);
                assertTrue(gone.exitCode() != 0 || !gone.stdout().contains(" = INTEGER"),
                        "walk of a removed context: " + gone.stdout() + gone.stderr());
                assertEquals("5", walkConnections(agent, List.of("-v2c", "-c", "podsecret")).get(tuple));
                String log = agent.logText();
                assertTrue(log.contains("context " + after.context() + " appeared: ip netns " + after.name), log);
                assertTrue(log.contains("context " + after.context() + " removed"), log);
            }
        }
    }

    @Test
    void aGoneNamespaceKeepsItsContextWhileTcpEStatsConnTableLatencyKeepsItsClosedRows(@TempDir Path dir)
            throws Exception {
        int clientPort = ThreadLocalRandom.current().nextInt(20000, 30000);
        int octets = 123_456;
        try (AgentProcess agent = AgentProcess.start(dir, "public", "rocommunity public 127.0.0.1",
                "createUser ops SHA-256 " + AUTH + " AES " + PRIV, "group operators usm ops",
                "view all included .1", "access operators \"\" usm priv prefix all none none",
                "tcpEStatsConnTableLatency 8");
             IpNetns container = new IpNetns()) {
            container.connection(clientPort, clientPort + 1, octets);
            String index = "1.4.127.0.0.1." + clientPort + ".1.4.127.0.0.1." + (clientPort + 1);
            await("the connection in " + container.context(), () -> {
                String ids = agent.request("snmpbulkwalk", v3(container.context()), CONNECT_INDEX).stdout();
                return ids.contains(index + " = Gauge32: ") ? null : ids;
            });
            String connectIndex = connectIndex(agent, v3(container.context()), index);

            long closed = System.nanoTime();
            container.close();
            // its rows stay in tcpConnectionTable as closed(1): tcpEStatsConnectIdTable extends it
            await("the connections of the deleted namespace closed", () -> {
                Map<String, String> walked = walkConnections(agent, v3(container.context()));
                return walked.size() == 2 && walked.values().stream().allMatch("1"::equals) ? null
                        : walked.toString();
            });
            assertTrue(System.nanoTime() - closed < TimeUnit.SECONDS.toNanos(8), "checked within the latency");
            // its context and its closed row stay, with the final values, for tcpEStatsConnTableLatency
            assertTrue(contexts(agent).contains("\"" + container.context() + "\""), contexts(agent));
            assertEquals(String.valueOf(octets), perfOctetsOut(agent, v3(container.context()), connectIndex));
            await("the context goes with its last closed row", () -> {
                String walk = contexts(agent);
                return walk.contains("\"" + container.context() + "\"") ? walk : null;
            });
            assertTrue(System.nanoTime() - closed >= TimeUnit.SECONDS.toNanos(8),
                    "the context outlived its namespace by tcpEStatsConnTableLatency");
            assertTrue(agent.logText().contains("context " + container.context() + " removed"), agent.logText());
        }
    }

    /** tcpEStatsConnectIndex of the connection with this tcpEStatsConnectIdTable index suffix. */
    private static String connectIndex(AgentProcess agent, List<String> security, String tupleIndex)
            throws Exception {
        Processes.Result ids = agent.request("snmpbulkwalk", security, CONNECT_INDEX);
        Matcher m = Pattern.compile("\\." + Pattern.quote(tupleIndex) + " = Gauge32: (\\d+)").matcher(ids.stdout());
        assertTrue(m.find(), "no connect index for " + tupleIndex + ": " + ids.stdout());
        return m.group(1);
    }

    /** tcpEStatsPerfHCDataOctetsOut of the connection with this connect index. */
    private static String perfOctetsOut(AgentProcess agent, List<String> security, String connectIndex)
            throws Exception {
        Processes.Result perf = agent.request("snmpget", security, PERF_HC_DATA_OCTETS_OUT + "." + connectIndex);
        Matcher v = Pattern.compile("Counter64: (\\d+)").matcher(perf.stdout());
        assertTrue(v.find(), perf.stdout() + perf.stderr());
        return v.group(1);
    }
}
