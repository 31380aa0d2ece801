package tcpestats.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tcpestats.mib.MibTable;
import tcpestats.mib.MibVariable;
import tcpestats.mib.Registry;
import tcpestats.support.KernelRequired;
import tcpestats.support.LoopbackConnection;
import tcpestats.support.NetnsLab;
import tcpestats.support.PacketCapture;
import tcpestats.support.PacketCapture.Segment;
import tcpestats.support.Processes;
import tcpestats.support.Ss;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every table of TCP-ESTATS-MIB walked by net-snmp against the agent running as its own process. */
@ExtendWith(KernelRequired.class)
class AllTablesEndToEndIT {
    private static final Pattern VARBIND = Pattern.compile("^\\.([0-9.]+) = (?:([\\w-]+): )?(.*)$");
    private static final String[] ALL_TABLES_ON = {"tcpEStatsControlPath true", "tcpEStatsControlStack true",
            "tcpEStatsControlApp true", "tcpEStatsControlTune true", "estatsSnapshotMaxAge 0"};

    private static Map<String, String> walk(AgentProcess agent, String oid) throws Exception {
        Processes.Result r = agent.snmp("snmpbulkwalk", "e2e", oid);
        assertEquals(0, r.exitCode(), r.stderr());
        assertFalse(r.stdout().contains("OID not increasing"), r.stdout());
        return r.stdout().lines().map(VARBIND::matcher).filter(Matcher::matches)
                .filter(m -> !m.group(3).startsWith("No Such") && !m.group(3).startsWith("No more variables"))
                .collect(Collectors.toMap(m -> m.group(1), m -> m.group(3).strip()));
    }

    private static String[] config(String... extra) {
        List<String> lines = new java.util.ArrayList<>(List.of("rocommunity e2e 127.0.0.1"));
        lines.addAll(List.of(extra));
        return lines.toArray(String[]::new);
    }

    /** The connect index of the connection with these local and remote ports (IPv4). */
    private static String connectIndex(AgentProcess agent, InetAddress local, int localPort, InetAddress remote,
                                       int remotePort) throws Exception {
        String tuple = "1.4." + local.getHostAddress() + "." + localPort + ".1.4." + remote.getHostAddress() + "."
                + remotePort;
        String index = walk(agent, "1.3.6.1.2.1.156.1.1.2").get("1.3.6.1.2.1.156.1.1.2.1.1." + tuple);
        assertTrue(index != null, "no row for " + tuple);
        return index;
    }

    private static long get(Map<String, String> values, String name, String index) {
        String v = values.get(Registry.named(name).oid().toDottedString() + "." + index);
        assertTrue(v != null, name + "." + index + " is missing");
        return Long.parseLong(v);
    }

    @Test
    void eachTableWalksWithEveryServedColumnUnderLoss(@TempDir Path dir) throws Exception {
        try (NetnsLab lab = NetnsLab.create("congctl cubic");
             AgentProcess agent = AgentProcess.start(dir, "e2e", config(ALL_TABLES_ON))) {
            int port = 24000 + (int) (ProcessHandle.current().pid() % 1000);
            lab.peerNft("table inet loss { chain in { type filter hook prerouting priority -300; "
                    + "tcp dport " + port + " meta length > 200 numgen random mod 100 < 3 drop; }; }");
            lab.startPeer("sink", String.valueOf(port), String.valueOf(4 << 20));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(lab.peerAddress, port), 5000);
                s.getOutputStream().write(new byte[4 << 20]);
                assertEquals(1, s.getInputStream().read());
                String index = connectIndex(agent, lab.hostAddress, s.getLocalPort(), lab.peerAddress, port);
                for (MibTable table : List.of(MibTable.PERF, MibTable.PATH, MibTable.STACK, MibTable.APP,
                        MibTable.TUNE)) {
                    Map<String, String> rows = walk(agent, table.entry().toDottedString().replaceFirst("\\.1$", ""));
                    for (MibVariable v : Registry.columns(table)) {
                        String cell = v.oid().toDottedString() + "." + index;
                        if (v.name().equals("tcpEStatsStackSoftErrorReason")) {
                            // present exactly when a soft error happened
                            assertEquals(get(rows, "tcpEStatsStackSoftErrors", index) > 0, rows.containsKey(cell));
                            continue;
                        }
                        assertTrue(rows.containsKey(cell), table.tableName() + ": " + v.name() + " is missing");
                    }
                }
                Map<String, String> perf = walk(agent, "1.3.6.1.2.1.156.1.1.3");
                assertTrue(get(perf, "tcpEStatsPerfSegsRetrans", index) > 0, "the loss was seen");
                Map<String, String> listeners = walk(agent, "1.3.6.1.2.1.156.1.1.1");
                Map<String, String> tcpListeners = walk(agent, "1.3.6.1.2.1.6.20");
                assertEquals(tcpListeners.size(), listeners.keySet().stream()
                        .filter(k -> k.startsWith("1.3.6.1.2.1.156.1.1.1.1.13.")).count(),
                        "one listener row per tcpListenerTable row (AUGMENTS)");
                Map<String, String> scalars = walk(agent, "1.3.6.1.2.1.156.1.2");
                for (int c = 1; c <= 4; c++) {
                    assertEquals("1", scalars.get("1.3.6.1.2.1.156.1.2." + c + ".0"), "control " + c + " is true");
                }
                assertEquals("2", scalars.get("1.3.6.1.2.1.156.1.2.5.0"), "notifications default to false");
                assertEquals("0", scalars.get("1.3.6.1.2.1.156.1.2.6.0"), "latency defaults to 0");
                assertEquals(0, agent.stop());
            }
        }
    }

    @Test
    void disabledTablesHaveNoRows(@TempDir Path dir) throws Exception {
        try (AgentProcess agent = AgentProcess.start(dir, "e2e", config());
             LoopbackConnection c = new LoopbackConnection(InetAddress.getByName("127.0.0.1"), 1000)) {
            assertFalse(walk(agent, "1.3.6.1.2.1.156.1.1.3").isEmpty(), "Perf has no control: always rows");
            for (String table : List.of("4", "5", "6", "7")) {
                assertTrue(walk(agent, "1.3.6.1.2.1.156.1.1." + table).isEmpty(), "table " + table + " is off");
            }
            assertEquals(0, agent.stop());
        }
    }

    /**
     * Values that ss, the wire or the application itself know, compared with what SNMP
     * serves, on a veth link shaped so that round trips take milliseconds (on loopback the
     * RTT objects would compare 0 with 0).
     */
    @Test
    void everyValueSsTheWireOrTheApplicationKnowsIsTheSameOverSnmp(@TempDir Path dir) throws Exception {
        try (NetnsLab lab = NetnsLab.create("congctl cubic");
             AgentProcess agent = AgentProcess.start(dir, "e2e", config(ALL_TABLES_ON));
             ServerSocket listener = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            lab.shapeTowardsPeer("20mbit");
            int port = 25000 + (int) (ProcessHandle.current().pid() % 1000);
            lab.startPeer("sink", String.valueOf(port), "3000000");
            long connectedAfter;
            long connectedBefore = System.currentTimeMillis();
            List<Segment> wire;
            List<Integer> tosOut;
            long started;
            Map<String, String> v;
            Ss ss;
            String index;
            try (PacketCapture capture = PacketCapture.start(lab.hostDev, "tcp port " + port);
                 Socket s = new Socket()) {
                s.setTrafficClass(0x28);
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(lab.peerAddress, port), 5000);
                connectedAfter = System.currentTimeMillis();
                s.getOutputStream().write(new byte[3_000_000]);
                s.setSoTimeout(30_000);
                assertEquals(1, s.getInputStream().read(), "the sink read everything");
                index = connectIndex(agent, lab.hostAddress, s.getLocalPort(), lab.peerAddress, port);
                ss = Ss.of(s.getLocalPort(), port);
                v = walk(agent, "1.3.6.1.2.1.156.1.1");
                tosOut = octets(agent, Registry.named("tcpEStatsPathIpTosOut").oid().toDottedString() + "." + index);
                started = dateAndTimeMillis(agent, Registry.named("tcpEStatsPerfStartTimeStamp").oid()
                        .toDottedString() + "." + index);
                wire = capture.stop();
            }
            String line = ss.toString();
            long mss = ss.field("mss").orElseThrow();
            assertEquals(ss.field("segs_out").orElseThrow(), get(v, "tcpEStatsPerfSegsOut", index), line);
            assertEquals(ss.field("segs_in").orElseThrow(), get(v, "tcpEStatsPerfSegsIn", index), line);
            assertEquals(ss.field("data_segs_out").orElseThrow(), get(v, "tcpEStatsPerfDataSegsOut", index), line);
            assertEquals(ss.field("bytes_sent").orElseThrow(), get(v, "tcpEStatsPerfHCDataOctetsOut", index), line);
            assertEquals(ss.field("bytes_acked").orElseThrow(), get(v, "tcpEStatsAppHCThruOctetsAcked", index), line);
            assertEquals(ss.field("bytes_acked").orElseThrow() & 0xFFFF_FFFFL,
                    get(v, "tcpEStatsAppThruOctetsAcked", index), line);
            assertEquals(ss.field("bytes_received").orElse(0), get(v, "tcpEStatsAppThruOctetsReceived", index), line);
            assertEquals(mss, get(v, "tcpEStatsPerfCurMSS", index), line);
            assertEquals(ss.field("cwnd").orElseThrow() * mss, get(v, "tcpEStatsPerfCurCwnd", index), line);
            assertEquals(ss.field("ssthresh").isPresent() ? ss.field("ssthresh").getAsLong() * mss : 0xFFFF_FFFFL,
                    get(v, "tcpEStatsPerfCurSsthresh", index), line);
            assertEquals(ss.field("rto").orElseThrow(), get(v, "tcpEStatsPerfCurRTO", index), line);
            // the shaped queue made the round trips milliseconds long: these compare values, not zeros
            assertTrue(get(v, "tcpEStatsPerfSmoothedRTT", index) > 0, line);
            assertEquals((long) ss.decimal("rtt"), get(v, "tcpEStatsPerfSmoothedRTT", index), line);
            assertEquals((long) ss.decimal("rttvar"), get(v, "tcpEStatsPathRTTVar", index), line);
            assertEquals((long) ss.decimal("rcv_rtt"), get(v, "tcpEStatsPathRcvRTT", index), line);
            assertEquals(ss.field("snd_wnd").orElseThrow(), get(v, "tcpEStatsPerfCurRwinRcvd", index), line);
            ss.field("rcv_wnd").ifPresent(w -> assertEquals(w, get(v, "tcpEStatsPerfCurRwinSent", index), line));
            // with timestamps Linux lowers advmss by the 12 option octets: pmtu - 40 - 12 on IPv4
            boolean timestamps = ss.field("advmss").orElseThrow() == ss.field("pmtu").orElseThrow() - 52;
            assertEquals(ss.field("advmss").orElseThrow() + (timestamps ? 12 : 0),
                    get(v, "tcpEStatsStackMSSSent", index), line);
            assertEquals(ss.retransTotal(), get(v, "tcpEStatsPerfSegsRetrans", index), line);
            assertEquals(ss.field("reordering").orElse(3), get(v, "tcpEStatsPathRetranThresh", index), line);
            assertEquals(ss.field("dsack_dups").orElse(0), get(v, "tcpEStatsStackDSACKDups", index), line);
            assertEquals(ss.field("notsent").orElse(0), get(v, "tcpEStatsAppCurAppWQueue", index), line);
            int[] wscale = ss.pair("wscale");
            assertEquals(wscale[0], get(v, "tcpEStatsStackWinScaleRcvd", index), line);
            assertEquals(wscale[1], get(v, "tcpEStatsStackWinScaleSent", index), line);
            assertEquals(timestamps ? 1 : 3, get(v, "tcpEStatsStackTimeStamps", index), line);
            assertEquals(1, get(v, "tcpEStatsStackWillSendSACK", index), "both ends have tcp_sack=1");
            assertEquals(5, get(v, "tcpEStatsStackState", index), "established");
            assertEquals(1, get(v, "tcpEStatsStackInRecovery", index), "no loss, all acknowledged: contiguous");
            assertEquals(1, get(v, "tcpEStatsStackActiveOpen", index), "this end connected");
            assertTrue(get(v, "tcpEStatsPerfElapsedSecs", index) * 1_000_000
                    + get(v, "tcpEStatsPerfElapsedMicroSecs", index) > 0, "3 MB took some time");

            // what the application set: IP_TOS and TCP_NODELAY
            assertEquals(List.of(0x28), tosOut, "setTrafficClass(0x28)");
            assertEquals(2, get(v, "tcpEStatsStackNagle", index), "TCP_NODELAY: Nagle false");
            // StartTimeStamp: the wall clock when the connection started, which this test bracketed
            assertTrue(started >= connectedBefore - 100 && started <= connectedAfter + 100,
                    started + " not within " + connectedBefore + ".." + connectedAfter);

            // the wire: the SYN and SYN-ACK carry both initial sequence numbers; the highest
            // sequence number this end sent; the largest window the peer advertised
            int local = wire.stream().filter(g -> g.has(Segment.SYN) && !g.has(Segment.ACK)).findFirst()
                    .orElseThrow().srcPort();
            Segment syn = wire.stream().filter(g -> g.srcPort() == local && g.has(Segment.SYN)).findFirst()
                    .orElseThrow();
            Segment synAck = wire.stream().filter(g -> g.srcPort() == port && g.has(Segment.SYN)).findFirst()
                    .orElseThrow();
            assertEquals(syn.seq(), get(v, "tcpEStatsStackSndInitial", index), "our SYN's sequence number");
            assertEquals(synAck.seq(), get(v, "tcpEStatsStackRecInitial", index), "the peer's SYN-ACK's");
            long sndMax = wire.stream().filter(g -> g.srcPort() == local).mapToLong(Segment::endSeq)
                    .reduce((a, b) -> (int) (b - a) > 0 ? b : a).orElseThrow();
            assertEquals(sndMax, get(v, "tcpEStatsAppSndMax", index), "the highest sequence number sent");
            long una = get(v, "tcpEStatsAppSndUna", index);
            long nxt = get(v, "tcpEStatsAppSndNxt", index);
            assertEquals((nxt - una) & 0xFFFF_FFFFL, get(v, "tcpEStatsStackCurRetxQueue", index));
            long maxWindow = synAck.window();
            for (Segment g : wire) {
                if (g.srcPort() == port && !g.has(Segment.SYN)) {
                    maxWindow = Math.max(maxWindow, (long) g.window() << wscale[0]);
                }
            }
            assertEquals(maxWindow, get(v, "tcpEStatsPerfMaxRwinRcvd", index), "the peer's largest window");

            // tcpListenerProcess: the process that holds the listening socket, this JVM
            Map<String, String> processes = walk(agent, "1.3.6.1.2.1.6.20.1.4");
            String cell = processes.keySet().stream().filter(k -> k.endsWith(".127.0.0.1." + listener.getLocalPort()))
                    .findFirst().orElseThrow(() -> new AssertionError("no listener row in " + processes.keySet()));
            assertEquals(ProcessHandle.current().pid(), Long.parseLong(processes.get(cell)));
            assertEquals(0, agent.stop());
        }
    }

    /** An OCTET STRING object's octets, read with snmpget -Ox. */
    private static List<Integer> octets(AgentProcess agent, String oid) throws Exception {
        Processes.Result r = agent.request("snmpget", List.of("-v2c", "-c", "e2e", "-Ox"), oid);
        Matcher m = Pattern.compile("Hex-STRING: ([0-9A-F]{2}(?: [0-9A-F]{2})*)").matcher(r.stdout());
        assertTrue(m.find(), r.stdout());
        return java.util.Arrays.stream(m.group(1).split(" ")).map(h -> Integer.parseInt(h, 16)).toList();
    }

    /** A DateAndTime object as milliseconds since the epoch; it must be in UTC. */
    private static long dateAndTimeMillis(AgentProcess agent, String oid) throws Exception {
        List<Integer> b = octets(agent, oid);
        assertTrue(b.size() == 8 || b.size() == 11 && b.get(8) == '+' && b.get(9) == 0 && b.get(10) == 0,
                "UTC: " + b);
        return java.time.ZonedDateTime.of(b.get(0) << 8 | b.get(1), b.get(2), b.get(3), b.get(4), b.get(5), b.get(6),
                b.get(7) * 100_000_000, java.time.ZoneOffset.UTC).toInstant().toEpochMilli();
    }
}
