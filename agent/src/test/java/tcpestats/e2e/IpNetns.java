package tcpestats.e2e;

import tcpestats.support.Processes;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A namespace made with ip netns add, removed with its processes on close. */
final class IpNetns implements AutoCloseable {
    final String name = "estats-ctx-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
    final List<Process> processes = new ArrayList<>();
    final long inode;

    IpNetns() throws Exception {
        sh("ip netns add " + name);
        sh("ip netns exec " + name + " ip link set lo up");
        inode = Long.parseLong(sh("stat -L -c %i /run/netns/" + name).strip());
    }

    String context() {
        return "netns:" + inode;
    }

    /**
     * A loopback connection inside the namespace from port {@code clientPort} to {@code serverPort} that
     * sends {@code octets} (0: an idle one) and then holds still.
     */
    void connection(int clientPort, int serverPort, int octets) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", name, "python3", "-c", """
                import socket, sys, time
                client_port, server_port, n = map(int, sys.argv[1:])
                server = socket.socket()
                server.bind(('127.0.0.1', server_port))
                server.listen(1)
                client = socket.socket()
                client.bind(('127.0.0.1', client_port))
                client.connect(('127.0.0.1', server_port))
                conn, _ = server.accept()
                client.sendall(b'x' * n)
                got = 0
                while got < n:
                    got += len(conn.recv(65536))
                print('ready', flush=True)
                time.sleep(3600)
                """, String.valueOf(clientPort), String.valueOf(serverPort), String.valueOf(octets))
                .redirectErrorStream(true).start();
        processes.add(p);
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        assertEquals("ready", line, "connection in " + name);
    }

    /** A connection to {@code serverPort} that the client closes first: its end stays in TIME_WAIT. */
    void closedConnection(int serverPort) throws Exception {
        sh("ip netns exec " + name + " python3 -c \"" + String.join(";",
                "import socket",
                "s = socket.socket()",
                "s.bind(('127.0.0.1', " + serverPort + "))",
                "s.listen(1)",
                "c = socket.create_connection(('127.0.0.1', " + serverPort + "))",
                "a, _ = s.accept()",
                "c.close()",
                "a.recv(1)",
                "a.close()") + "\"");
    }

    /** (local, remote) -> tcpConnectionState, from ss inside the namespace. */
    Map<String, String> ssConnections() throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (String line : sh("ip netns exec " + name + " ss -tanH").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 5 && !f[0].equals("LISTEN")) {
                out.put(f[3] + " " + f[4], STATES.get(f[0]));
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor();
        }
        Processes.run(List.of("ip", "netns", "del", name), 30);
    }

    /** tcpConnectionState values (RFC 4022) of ss's state names. */
    private static final Map<String, String> STATES = Map.of("ESTAB", "5", "SYN-SENT", "3", "SYN-RECV", "4",
            "FIN-WAIT-1", "6", "FIN-WAIT-2", "7", "CLOSE-WAIT", "8", "LAST-ACK", "9", "CLOSING", "10",
            "TIME-WAIT", "11");

    static String sh(String command) throws Exception {
        Processes.Result r = Processes.run(List.of("sh", "-c", command), 30);
        assertEquals(0, r.exitCode(), command + ": " + r.stderr());
        return r.stdout();
    }
}
