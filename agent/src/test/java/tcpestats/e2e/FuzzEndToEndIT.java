package tcpestats.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.snmp4j.PDU;
import org.snmp4j.asn1.BER;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.VariableBinding;
import tcpestats.support.KernelRequired;
import tcpestats.support.LoopbackConnection;
import tcpestats.support.Processes;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Garbage at the agent's port: random, mutated, truncated and over-long BER, wrong versions,
 * unknown communities, huge GETBULKs, SNMPv3 messages replayed from the agent's previous boot
 * and with broken digests. The agent must keep answering valid requests, with bounded memory.
 */
@ExtendWith(KernelRequired.class)
class FuzzEndToEndIT {
    private static final int MESSAGES = 100_000;
    private static final long SEED = 4898;

    private static final List<String> V3_USER = List.of("-v3", "-l", "authPriv", "-u", "fuzz", "-a", "SHA-256",
            "-A", "fuzzpass-4898", "-x", "AES", "-X", "fuzzpass-4898");

    private static AgentProcess start(Path dir, Path state) throws Exception {
        Files.createDirectories(dir);
        return AgentProcess.start(dir, "public", "rocommunity public 127.0.0.1",
                "createUser fuzz SHA-256 fuzzpass-4898 AES fuzzpass-4898", "rouser fuzz priv",
                "persistentDir " + state);
    }

    @Test
    void aHundredThousandMalformedMessagesLeaveTheAgentServing(@TempDir Path dir) throws Exception {
        List<byte[]> earlierBoot;
        try (AgentProcess first = start(dir.resolve("boot1"), dir.resolve("state"))) {
            earlierBoot = recordV3Requests(first);
            assertEquals(0, first.stop());
        }
        long fuzzStart = System.nanoTime();
        try (AgentProcess agent = start(dir.resolve("boot2"), dir.resolve("state"));
             LoopbackConnection c = new LoopbackConnection(InetAddress.getLoopbackAddress(), 777)) {
            long pid = agent.pid();
            long rssBefore = rssKiB(pid);
            long heapBefore = heapUsedAfterGcKiB(pid);
            SplittableRandom random = new SplittableRandom(SEED);
            List<byte[]> valid = new ArrayList<>(List.of(
                    message(1, "public", PDU.GET, 0, "1.3.6.1.2.1.1.1.0"),
                    message(1, "public", PDU.GETNEXT, 0, "1.3.6.1.2.1.156"),
                    message(1, "public", PDU.GETBULK, 5, "1.3.6.1.2.1.156"),
                    message(1, "public", PDU.SET, 0, "1.3.6.1.2.1.156.1.2.5.0"),
                    message(0, "public", PDU.GET, 0, "1.3.6.1.2.1.1.1.0"),
                    message(1, "secret", PDU.GET, 0, "1.3.6.1.2.1.1.1.0")));
            // authentic SNMPv3 requests of the previous boot: replayed as they are they fall outside
            // the time window (other snmpEngineBoots), mutated they fail the HMAC check
            valid.addAll(earlierBoot);
            try (DatagramSocket socket = new DatagramSocket()) {
                InetAddress lo = InetAddress.getLoopbackAddress();
                for (int i = 0; i < MESSAGES; i++) {
                    byte[] m = mutate(valid.get(random.nextInt(valid.size())), random);
                    socket.send(new DatagramPacket(m, m.length, lo, agent.port));
                    if (i % 50 == 0) {
                        // short bursts at the agent's pace: its socket buffer holds only ~100
                        // datagrams, and the garbage must reach the agent, not the kernel's drop
                        // counter, however busy the machine is
                        awaitEmptyReceiveQueue(agent.port);
                    }
                }
            }
            // a GETBULK asking a million repetitions gets a bounded answer
            Processes.Result bulk = agent.snmp("snmpbulkget", "public", "-Cr1000000", "1.3.6.1.2.1.156");
            assertEquals(0, bulk.exitCode(), bulk.stderr());
            long varbinds = bulk.stdout().lines().count();
            assertTrue(varbinds > 0 && varbinds < 10_000, varbinds + " varbinds");

            String tuple = "1.4.127.0.0.1." + c.clientPort() + ".1.4.127.0.0.1." + c.serverPort();
            Processes.Result walk = agent.snmp("snmpbulkwalk", "public", "1.3.6.1.2.1.156.1.1.2");
            assertTrue(walk.stdout().contains(tuple), "still serving: " + walk.stdout() + walk.stderr());
            assertTrue(counter(agent, "1.3.6.1.2.1.11.4.0") > 0, "snmpInBadCommunityNames counts the unknown community");
            long notInTimeWindow = counter(agent, "1.3.6.1.6.3.15.1.1.2.0");
            long wrongDigests = counter(agent, "1.3.6.1.6.3.15.1.1.5.0");
            assertTrue(notInTimeWindow > 0, "usmStatsNotInTimeWindows counts the replayed messages");
            assertTrue(wrongDigests > 0, "usmStatsWrongDigests counts the mutated ones");
            Processes.Result v3 = agent.request("snmpget", V3_USER, "1.3.6.1.2.1.1.1.0");
            assertTrue(v3.stdout().contains("STRING"), "SNMPv3 still served: " + v3.stdout() + v3.stderr());
            long dropped = socketDrops(agent);
            long parsed = counter(agent, "1.3.6.1.2.1.11.1.0");
            long parseErrors = counter(agent, "1.3.6.1.2.1.11.6.0");
            long rssAfter = rssKiB(pid);
            long heapAfter = heapUsedAfterGcKiB(pid);
            System.out.printf("fuzz: %d messages sent, %d dropped by the kernel (socket buffer full), snmpInPkts %d, "
                            + "snmpInASNParseErrs %d, usmStatsNotInTimeWindows %d, usmStatsWrongDigests %d; agent RSS "
                            + "%d KiB before, %d KiB after; heap used after a full GC %d KiB before, %d KiB after%n",
                    MESSAGES, dropped, parsed, parseErrors, notInTimeWindow, wrongDigests, rssBefore, rssAfter,
                    heapBefore, heapAfter);
            assertTrue(dropped < MESSAGES / 2, "most of the garbage reached the agent: " + dropped + " dropped");
            // RSS follows the collector's choice of heap size; what the garbage leaves behind is
            // the heap still in use after a full GC
            assertTrue(heapAfter < heapBefore + 32 * 1024, "heap after GC " + heapBefore + " -> " + heapAfter + " KiB");
            assertEquals(0, agent.stop());
            String log = agent.logText();
            assertTrue(log.lines().noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by")),
                    "no stack trace in the log:\n" + log);
            // whatever level SNMP4J picks, its lines are at most a burst of 20 and one a second
            long seconds = 1 + (System.nanoTime() - fuzzStart) / 1_000_000_000L;
            long lines = log.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).count();
            assertTrue(lines <= 20 + seconds + 5, "the garbage does not flood the log: " + lines + " warnings and "
                    + "errors in " + seconds + " s:\n" + log);
            assertTrue(log.contains("more SNMP4J warnings and errors not logged"), "the held-back lines are counted");
        }
    }

    /**
     * What net-snmp sends for SNMPv3 authPriv requests (engine discovery included), recorded by a UDP
     * relay between snmpget/snmpbulkget and the agent.
     */
    private static List<byte[]> recordV3Requests(AgentProcess agent) throws Exception {
        List<byte[]> recorded = new ArrayList<>();
        try (DatagramSocket relay = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            relay.setSoTimeout(100);
            InetSocketAddress agentAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), agent.port);
            AtomicBoolean running = new AtomicBoolean(true);
            Thread relaying = Thread.ofPlatform().start(() -> {
                byte[] buffer = new byte[65_535];
                SocketAddress client = null;
                while (running.get()) {
                    DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                    try {
                        relay.receive(p);
                        byte[] data = Arrays.copyOf(p.getData(), p.getLength());
                        if (p.getSocketAddress().equals(agentAddress)) {
                            relay.send(new DatagramPacket(data, data.length, client));
                        } else {
                            client = p.getSocketAddress();
                            synchronized (recorded) {
                                recorded.add(data);
                            }
                            relay.send(new DatagramPacket(data, data.length, agentAddress));
                        }
                    } catch (java.net.SocketTimeoutException e) {
                        // look at running again
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            for (List<String> request : List.of(List.of("snmpget", "1.3.6.1.2.1.1.1.0"),
                    List.of("snmpgetnext", "1.3.6.1.2.1.156"), List.of("snmpbulkget", "-Cr20", "1.3.6.1.2.1.156"))) {
                List<String> cmd = new ArrayList<>(List.of(request.getFirst()));
                cmd.addAll(V3_USER);
                cmd.addAll(List.of("-t", "2", "-r", "0", "127.0.0.1:" + relay.getLocalPort()));
                cmd.addAll(request.subList(1, request.size()));
                Processes.Result r = Processes.run(cmd, 30);
                assertEquals(0, r.exitCode(), "through the relay: " + r.stderr());
            }
            running.set(false);
            relaying.join();
        }
        assertTrue(recorded.size() >= 4, recorded.size() + " recorded");
        return recorded;
    }

    /** A v1/v2c message: SEQUENCE { version, community, PDU }. */
    private static byte[] message(int version, String community, int type, int maxRepetitions, String oid)
            throws Exception {
        PDU pdu = new PDU();
        pdu.setType(type);
        pdu.setRequestID(new org.snmp4j.smi.Integer32(42));
        if (type == PDU.GETBULK) {
            pdu.setMaxRepetitions(maxRepetitions);
        }
        pdu.add(type == PDU.SET ? new VariableBinding(new OID(oid), new org.snmp4j.smi.Integer32(1))
                : new VariableBinding(new OID(oid)));
        OctetString c = new OctetString(community);
        int length = 3 + c.getBERLength() + pdu.getBERLength();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BER.encodeHeader(out, BER.SEQUENCE, length);
        BER.encodeInteger(out, BER.INTEGER, version);
        c.encodeBER(out);
        pdu.encodeBER(out);
        return out.toByteArray();
    }

    private static byte[] mutate(byte[] valid, SplittableRandom random) {
        return switch (random.nextInt(8)) {
            case 0 -> valid; // some valid requests among the garbage
            case 1 -> { // random bytes
                byte[] b = new byte[random.nextInt(1, 1500)];
                random.nextBytes(b);
                yield b;
            }
            case 2 -> { // a few flipped bytes
                byte[] b = valid.clone();
                for (int k = random.nextInt(1, 6); k > 0; k--) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
                yield b;
            }
            case 3 -> Arrays.copyOf(valid, random.nextInt(valid.length)); // truncated
            case 4 -> { // a length that claims far more than is there
                byte[] b = valid.clone();
                int at = random.nextInt(b.length - 5);
                b[at] = (byte) 0x84;
                b[at + 1] = (byte) 0x7f;
                yield b;
            }
            case 5 -> { // wrong version (0..255): v1, v2c, v3 or nonsense
                byte[] b = valid.clone();
                b[4] = (byte) random.nextInt(256);
                yield b;
            }
            case 6 -> { // trailing garbage
                byte[] b = Arrays.copyOf(valid, valid.length + random.nextInt(1, 200));
                for (int k = valid.length; k < b.length; k++) {
                    b[k] = (byte) random.nextInt(256);
                }
                yield b;
            }
            default -> { // now and then huge: a valid header in front of up to 60 KB of noise
                byte[] b = Arrays.copyOf(valid, random.nextInt(50) == 0 ? 60_000 : valid.length + 1000);
                for (int k = valid.length; k < b.length; k += 7) {
                    b[k] = (byte) random.nextInt(256);
                }
                yield b;
            }
        };
    }

    private static long counter(AgentProcess agent, String oid) throws Exception {
        Processes.Result r = agent.snmp("snmpget", "public", "-Oqv", oid);
        assertEquals(0, r.exitCode(), r.stderr());
        return Long.parseLong(r.stdout().strip());
    }

    /** Waits (up to 5 s) until the agent has read every datagram queued at its UDP socket. */
    private static void awaitEmptyReceiveQueue(int port) throws Exception {
        String local = String.format(":%04X", port);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            // /proc/net/udp and udp6 (Java binds 127.0.0.1 on an IPv6 socket): sl local_address
            // rem_address st tx_queue:rx_queue ... (hex)
            List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("/proc/net/udp")));
            lines.addAll(Files.readAllLines(Path.of("/proc/net/udp6")));
            boolean queued = lines.stream().map(l -> l.trim().split("\\s+"))
                    .filter(f -> f.length > 4 && f[1].endsWith(local))
                    .anyMatch(f -> Long.parseLong(f[4].split(":")[1], 16) > 0);
            if (!queued) {
                return;
            }
            Thread.sleep(1);
        }
    }

    /** Datagrams the kernel dropped at the agent's socket (ss skmem d). */
    private static long socketDrops(AgentProcess agent) throws Exception {
        String ss = Processes.run(List.of("ss", "-Huanm", "sport = :" + agent.port), 10).stdout();
        Matcher m = Pattern.compile(",d(\\d+)\\)").matcher(ss);
        assertTrue(m.find(), ss);
        return Long.parseLong(m.group(1));
    }

    /** The agent's live heap: jcmd runs a full GC, then reads the heap in use. */
    private static long heapUsedAfterGcKiB(long pid) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        assertEquals(0, Processes.run(List.of(jcmd, String.valueOf(pid), "GC.run"), 60).exitCode());
        String info = Processes.run(List.of(jcmd, String.valueOf(pid), "GC.heap_info"), 60).stdout();
        // one line per generation (serial: DefNew and Tenured; G1: the whole heap), not their spaces
        Matcher m = Pattern.compile("^\\s*[\\w-]+(?: [\\w-]+)* +total \\d+K, used (\\d+)K", Pattern.MULTILINE)
                .matcher(info);
        long used = 0;
        int generations = 0;
        while (m.find()) {
            used += Long.parseLong(m.group(1));
            generations++;
        }
        assertTrue(generations > 0, info);
        return used;
    }

    private static long rssKiB(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new AssertionError("no VmRSS for " + pid);
    }
}
