package tcpestats.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tcpestats.support.Await;
import tcpestats.support.KernelRequired;
import tcpestats.support.LoopbackConnection;
import tcpestats.support.NetnsLab;
import tcpestats.support.Processes;
import tcpestats.support.Ss;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/estats-agent as its own process, queried with net-snmp's own tools. */
@ExtendWith(KernelRequired.class)
class AgentEndToEndIT {
    private static final String CONNECT_ID = ".1.3.6.1.2.1.156.1.1.2.1.1.";
    private static final String PERF = ".1.3.6.1.2.1.156.1.1.3.1.";
    private static final Pattern VARBIND = Pattern.compile("^(\\.[0-9.]+) = (?:(\\w+): )?(.*)$");
    private static final int BYTES = 777_777;

    private static Map<String, String> walk(AgentProcess agent, String community, String oid) throws Exception {
        Processes.Result r = agent.snmp("snmpbulkwalk", community, oid);
        assertEquals(0, r.exitCode(), r.stderr());
        assertFalse(r.stdout().contains("OID not increasing"), r.stdout());
        return r.stdout().lines().map(VARBIND::matcher).filter(Matcher::matches)
                .collect(Collectors.toMap(m -> m.group(1), m -> m.group(3)));
    }

    @Test
    void walkShowsTheConnectionWithItsByteCount(@TempDir Path dir) throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir, "e2e", "rocommunity e2e 127.0.0.1",
                "estatsSnapshotMaxAge 100");
             LoopbackConnection c = new LoopbackConnection(InetAddress.getByName("127.0.0.1"), BYTES)) {
            String tuple = "1.4.127.0.0.1." + c.clientPort() + ".1.4.127.0.0.1." + c.serverPort();
            Map<String, String> estats = walk(agent, "e2e", "1.3.6.1.2.1.156");
            String index = estats.get(CONNECT_ID + tuple);
            assertTrue(index != null, "no tcpEStatsConnectIndex for " + tuple + " in\n" + estats);
            // a busy host's loopback drops too: retransmitted octets count again
            long retransmitted = Long.parseLong(estats.get(PERF + "6." + index));
            assertEquals(BYTES, Long.parseLong(estats.get(PERF + "4." + index)) - retransmitted, "HCDataOctetsOut");
            assertEquals(BYTES, Long.parseLong(estats.get(PERF + "3." + index)) - retransmitted, "DataOctetsOut");
            long ssBytesSent = Ss.of(c.clientPort(), c.serverPort()).field("bytes_sent").orElseThrow();
            assertEquals(ssBytesSent, Long.parseLong(estats.get(PERF + "4." + index)));

            // every established connection of the host is listed, each with a connect index
            List<String> established = Processes.run(List.of("ss", "-tnH", "state", "established"), 10)
                    .stdout().lines().toList();
            long rows = estats.keySet().stream().filter(k -> k.startsWith(CONNECT_ID)).count();
            assertTrue(rows >= established.size(), rows + " rows for " + established.size() + " connections");

            Map<String, String> tcpMib = walk(agent, "e2e", "1.3.6.1.2.1.6.19");
            assertEquals("5", tcpMib.get(".1.3.6.1.2.1.6.19.1.7." + tuple), "tcpConnectionState established(5)");
            assertEquals(String.valueOf(ProcessHandle.current().pid()), tcpMib.get(".1.3.6.1.2.1.6.19.1.8." + tuple),
                    "tcpConnectionProcess");

            Processes.Result get = agent.snmp("snmpget", "e2e", PERF + "4." + index, PERF + "1." + index);
            assertEquals(0, get.exitCode(), get.stderr());
            // the idle connection's octets, retransmissions included, as ss and the walk saw them
            assertTrue(get.stdout().contains("Counter64: " + ssBytesSent), get.stdout());
            assertTrue(get.stdout().contains(PERF + "1." + index + " = Gauge32: "),
                    "ZeroBasedCounter32 is a Gauge32 on the wire: " + get.stdout());

            Processes.Result missing = agent.snmp("snmpget", "e2e", PERF + "4.4000000000");
            assertTrue(missing.stdout().contains("No Such Instance"), missing.stdout() + missing.stderr());
            Processes.Result noObject = agent.snmp("snmpget", "e2e", PERF + "99." + index);
            assertTrue(noObject.stdout().contains("No Such Object"), noObject.stdout() + noObject.stderr());

            Processes.Result wrongCommunity = agent.snmp("snmpget", "not-configured", "1.3.6.1.2.1.1.1.0");
            assertNotEquals(0, wrongCommunity.exitCode(), "an unknown community is not answered");

            c.close();
            Await.until("the closed connection's row is gone", Duration.ofSeconds(5), () -> {
                Map<String, String> after = walk(agent, "e2e", "1.3.6.1.2.1.156.1.1.2");
                return after.containsKey(CONNECT_ID + tuple) ? after.toString() : null;
            });

            assertEquals(0, agent.stop(), "SIGTERM stops the agent cleanly:\n" + agent.logText());
            assertTrue(agent.logText().contains("BPF programs detached"), agent.logText());
            assertFalse(agent.logText().contains("Exception"), agent.logText());
        }
        assertNoProgramsLeft();
    }

    @Test
    void anOrphanedFinWait2ConnectionIsFinWait2AsSsSaysNotTimeWait(@TempDir Path dir) throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir, "e2e", "rocommunity e2e 127.0.0.1",
                "estatsSnapshotMaxAge 100");
             ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Socket client = new Socket(InetAddress.getByName("127.0.0.1"), server.getLocalPort());
            try (Socket accepted = server.accept()) {
                int clientPort = client.getLocalPort();
                // the client closes, the peer keeps its end open: the kernel keeps the client's end as a
                // time-wait socket in substate FIN_WAIT2
                client.close();
                Await.until("ss shows the client's end in FIN-WAIT-2", Duration.ofSeconds(5), () -> {
                    String ss = Processes.run(List.of("ss", "-tanH", "sport", "= :" + clientPort), 10).stdout();
                    return ss.startsWith("FIN-WAIT-2") ? null : ss;
                });
                Thread.sleep(200); // older than estatsSnapshotMaxAge: the GET makes a new pass
                String tuple = "1.4.127.0.0.1." + clientPort + ".1.4.127.0.0.1." + server.getLocalPort();
                Processes.Result get = agent.snmp("snmpget", "e2e", "-On", "1.3.6.1.2.1.6.19.1.7." + tuple);
                assertTrue(get.stdout().contains("INTEGER: 7"), "tcpConnectionState finWait2(7): " + get.stdout());
                assertTrue(accepted.isConnected());
            }
        }
    }

    /**
     * An agent alone in a namespace with no connection: its first walk finds the statistics tables
     * empty, and a later walk must still show a connection opened since (a lookup without a request
     * once kept the empty view). Only the namespace's own end of the connection is a row.
     */
    @Test
    void aTableWalkedWhileEmptyShowsConnectionsOpenedLater(@TempDir Path dir) throws Exception {
        try (NetnsLab lab = NetnsLab.create("");
             AgentProcess agent = AgentProcess.startInNamespace(lab.namespace, dir, "e2e",
                     "rocommunity e2e 127.0.0.1", "tcpEStatsControlTune true")) {
            String perfTable = "1.3.6.1.2.1.156.1.1.3";
            String connectIdColumn = "1.3.6.1.2.1.156.1.1.2.1.1";
            assertFalse(agent.snmp("snmpbulkwalk", "e2e", perfTable).stdout().contains(perfTable + ".1.1."),
                    "no connection in the new namespace yet");
            int port = 20_000 + (int) (ProcessHandle.current().pid() % 10_000);
            lab.startPeer("sink", String.valueOf(port), "1000");
            try (Socket s = new Socket(lab.peerAddress, port)) {
                s.getOutputStream().write(new byte[1000]);
                Thread.sleep(700); // older than estatsSnapshotMaxAge: the next request makes a new pass
                Processes.Result perf = agent.snmp("snmpbulkwalk", "e2e", perfTable);
                assertTrue(perf.stdout().contains(perfTable + ".1.1."), "the new connection: " + perf.stdout());
                String ids = agent.snmp("snmpbulkwalk", "e2e", connectIdColumn).stdout();
                String peerEnd = "1.4." + lab.peerAddress.getHostAddress() + "." + port + ".1.4."
                        + lab.hostAddress.getHostAddress() + "." + s.getLocalPort();
                assertTrue(ids.contains(connectIdColumn + "." + peerEnd), ids);
                assertEquals(1, ids.lines().filter(l -> l.contains(" = Gauge32: ")).count(),
                        "only the namespace's end of the connection: " + ids);
            }
            assertEquals(0, agent.stop());
        }
    }

    /**
     * A GETBULK whose full answer would not fit in a UDP datagram is answered with the repetitions
     * that fit (RFC 3416 4.2.3): filled up to SNMP4J's default size, the response grew past the
     * largest UDP payload and the manager got nothing.
     */
    @Test
    void aGetBulkLargerThanADatagramIsAnsweredWithWhatFits(@TempDir Path dir) throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir, "e2e", "rocommunity e2e 127.0.0.1")) {
            Processes.Result bulk = agent.snmp("snmpbulkget", "e2e", "-Cr5000", "1.3.6.1.2.1.1", "1.3.6.1.6.3",
                    "1.3.6.1.2.1.156");
            assertEquals(0, bulk.exitCode(), bulk.stderr());
            long varbinds = bulk.stdout().lines().filter(l -> l.contains(" = ")).count();
            assertTrue(varbinds > 1000 && varbinds < 15_000, varbinds + " varbinds");
            assertEquals(0, agent.stop());
        }
    }

    @Test
    void sourceRestrictedCommunityRefusesOtherSources(@TempDir Path dir) throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir, "local", "rocommunity local 127.0.0.0/8",
                "rocommunity elsewhere 192.0.2.0/24")) {
            assertEquals(0, agent.snmp("snmpget", "local", "1.3.6.1.2.1.1.1.0").exitCode());
            Processes.Result refused = agent.snmp("snmpget", "elsewhere", "1.3.6.1.2.1.1.1.0");
            assertNotEquals(0, refused.exitCode(), refused.stdout());
            assertEquals(0, agent.stop());
        }
    }

    @Test
    void malformedConfigIsOneLineNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("bad.conf");
        Files.write(config, List.of("rocommunity public 127.0.0.1", "agentAddress udp:127.0.0.1:notaport"));
        Processes.Result r = Processes.run(List.of(AgentProcess.LAUNCHER,
                "run", "--config", config.toString()), 120);
        assertEquals(2, r.exitCode(), r.stdout() + r.stderr());
        List<String> lines = r.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), r.stderr());
        assertTrue(lines.getFirst().startsWith("estats-agent: " + config + ":2: agentAddress: "), r.stderr());
    }

    @Test
    void checkSaysThisHostCanRunIt() throws Exception {
        Processes.Result r = Processes.run(List.of(AgentProcess.LAUNCHER,
                "check"), 120);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("ok    BPF programs"), r.stdout());
        assertNoProgramsLeft();
    }

    @Test
    void sigtermDuringAWalkExitsZeroAndLeavesNoLinks(@TempDir Path dir) throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir, "e2e", "rocommunity e2e 127.0.0.1",
                "tcpEStatsControlPath true", "tcpEStatsControlStack true", "tcpEStatsControlApp true");
             LoopbackConnection c = new LoopbackConnection(InetAddress.getByName("127.0.0.1"), BYTES)) {
            List<String> links = agentLinks();
            assertTrue(links.size() >= 5, "the agent's links while it runs: " + links);
            // walks one varbind per request, back to back: SIGTERM arrives in the middle of one
            AtomicInteger walks = new AtomicInteger();
            AtomicBoolean walking = new AtomicBoolean(true);
            Thread walker = Thread.ofPlatform().start(() -> {
                try {
                    while (walking.get()) {
                        Processes.run(List.of("snmpwalk", "-v2c", "-c", "e2e", "-On", "-t", "1", "-r", "0",
                                "127.0.0.1:" + agent.port, "1.3.6.1.2.1.156"), 30);
                        walks.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            while (walks.get() < 2) {
                Thread.sleep(50);
            }
            Thread.sleep(70);
            assertEquals(0, agent.stop(), agent.logText());
            walking.set(false);
            walker.join();
        }
        List<String> left = agentLinks();
        for (int i = 0; i < 30 && !left.isEmpty(); i++) {
            Thread.sleep(100);
            left = agentLinks();
        }
        assertEquals(List.of(), left, "links left behind");
        assertNoProgramsLeft();
    }

    /** bpftool's links ("ID: TYPE prog N") whose program is one of the agent's (named estats_*). */
    private static List<String> agentLinks() throws Exception {
        Set<String> programs = new HashSet<>();
        Matcher p = Pattern.compile("(?m)^(\\d+): .* name estats_").matcher(
                Processes.run(List.of("bpftool", "prog", "list"), 10).stdout());
        while (p.find()) {
            programs.add(p.group(1));
        }
        List<String> links = new ArrayList<>();
        Matcher l = Pattern.compile("(?m)^(\\d+): \\S+\\s+prog (\\d+)").matcher(
                Processes.run(List.of("bpftool", "link", "list"), 10).stdout());
        while (l.find()) {
            if (programs.contains(l.group(2))) {
                links.add(l.group(1));
            }
        }
        return links;
    }

    /** bpftool lists none of the agent's programs (the kernel frees them shortly after the fds close). */
    private static void assertNoProgramsLeft() throws Exception {
        Await.until("no BPF program of the agent is left", Duration.ofSeconds(3), () -> {
            String programs = Processes.run(List.of("bpftool", "prog", "list"), 10).stdout();
            return programs.contains("estats_") ? programs : null;
        });
    }
}
