package tcpestats.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tcpestats.mib.MibVariable;
import tcpestats.mib.Registry;
import tcpestats.mib.SmiType;
import tcpestats.support.KernelRequired;
import tcpestats.support.LoopbackConnection;
import tcpestats.support.Ss;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * conf/prometheus: Debian's snmp_exporter, with the shipped snmp.yml, scrapes the running agent
 * as the example config's SNMPv3 user; the shipped snmp.yml is what the generator makes of the
 * shipped generator.yml and mib/.
 */
@ExtendWith(KernelRequired.class)
class PrometheusEndToEndIT {
    private static final Path PROMETHEUS = AgentProcess.ROOT.resolve("conf/prometheus");
    private static final int BYTES = 333_333;

    @Test
    void snmpExporterScrapesEachConnectionNamedByItsAddresses(@TempDir Path dir) throws Exception {
        int exporterPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            exporterPort = free.getLocalPort();
        }
        try (AgentProcess agent = AgentProcess.start(dir, List.of("-v3", "-l", "authPriv", "-u", "estats", "-a", "SHA-256",
                        "-A", "change-me-please", "-x", "AES", "-X", "change-me-please"),
                List.of("createUser estats SHA-256 change-me-please AES change-me-please", "rouser estats priv",
                        "estatsSnapshotMaxAge 100"));
             LoopbackConnection c = new LoopbackConnection(InetAddress.getByName("127.0.0.1"), BYTES)) {
            Process exporter = new ProcessBuilder("prometheus-snmp-exporter",
                    "--config.file=" + PROMETHEUS.resolve("snmp.yml"),
                    "--web.listen-address=127.0.0.1:" + exporterPort)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("exporter.log").toFile()).start();
            try {
                String metrics = scrape(exporterPort, agent.port, dir);

                // the info series names the connection: its addresses and ports, and its connect index
                Matcher info = Pattern.compile("tcpEStatsConnectIndex_info\\{tcpConnectionLocalAddress=\"127.0.0.1\","
                        + "tcpConnectionLocalPort=\"" + c.clientPort() + "\",tcpConnectionRemAddress=\"127.0.0.1\","
                        + "tcpConnectionRemPort=\"" + c.serverPort() + "\",tcpEStatsConnectIndex=\"(\\d+)\"} 1")
                        .matcher(metrics);
                assertTrue(info.find(), "no info series for the connection in\n" + metrics);
                String index = info.group(1);
                // ... which the per-connection tables share as their label: join on(tcpEStatsConnectIndex)
                long ssBytes = Ss.of(c.clientPort(), c.serverPort()).field("bytes_sent").orElseThrow();
                assertEquals(ssBytes, value(metrics, "tcpEStatsPerfHCDataOctetsOut", index));
                assertEquals(ssBytes, value(metrics, "tcpEStatsPerfDataOctetsOut", index));
                assertTrue(value(metrics, "tcpEStatsPerfSegsOut", index) > 0);

                // ZeroBasedCounter32 columns are counters, gauges stay gauges
                assertTrue(metrics.contains("# TYPE tcpEStatsPerfDataOctetsOut counter"), metrics);
                assertTrue(metrics.contains("# TYPE tcpEStatsPerfHCDataOctetsOut counter"), metrics);
                assertTrue(metrics.contains("# TYPE tcpEStatsPerfCurCwnd gauge"), metrics);
                assertTrue(metrics.contains("# TYPE tcpEStatsListenerAccepted counter"), metrics);

                // Prometheus scrapes the exporter, and README's join labels the octets by address
                String joined = prometheusQuery(dir, exporterPort, agent.port,
                        "tcpEStatsPerfHCDataOctetsOut * on(instance, tcpEStatsConnectIndex) "
                                + "group_left(tcpConnectionRemAddress, tcpConnectionRemPort) tcpEStatsConnectIndex_info",
                        "\"tcpConnectionRemPort\":\"" + c.serverPort() + "\"");
                Matcher sample = Pattern.compile("\\{\"metric\":\\{[^}]*\"tcpConnectionRemPort\":\""
                        + c.serverPort() + "\"[^}]*},\"value\":\\[[0-9.]+,\"(\\d+)\"]}").matcher(joined);
                assertTrue(sample.find(), joined);
                assertEquals(ssBytes, Long.parseLong(sample.group(1)), joined);
                assertTrue(joined.contains("\"tcpEStatsConnectIndex\":\"" + index + "\""), joined);
            } finally {
                exporter.destroy();
                exporter.waitFor();
            }
        }
    }

    @Test
    void theShippedSnmpYmlIsWhatTheGeneratorMakesOfGeneratorYml(@TempDir Path dir) throws Exception {
        Files.copy(PROMETHEUS.resolve("generator.yml"), dir.resolve("generator.yml"));
        ProcessBuilder pb = new ProcessBuilder("prometheus-snmp-generator", "generate").directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().put("MIBDIRS", AgentProcess.ROOT.resolve("mib").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertEquals(Files.readString(PROMETHEUS.resolve("snmp.yml")), Files.readString(dir.resolve("snmp.yml")),
                "conf/prometheus/snmp.yml is stale; in conf/prometheus run: "
                        + "MIBDIRS=../../mib prometheus-snmp-generator generate");
    }

    @Test
    void everyZeroBasedCounter32IsTypedAsACounter() throws Exception {
        Set<String> zeroBased = Registry.all().stream().filter(v -> v.type() == SmiType.ZERO_BASED_COUNTER32)
                .map(MibVariable::name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> counters = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^      (\\w+):\\n        type: counter$")
                .matcher(Files.readString(PROMETHEUS.resolve("generator.yml")));
        while (m.find()) {
            counters.add(m.group(1));
        }
        assertEquals(zeroBased, counters);
    }

    /**
     * Runs Prometheus scraping the exporter for the agent every second until {@code query} returns a
     * result containing {@code expected}; returns that result.
     */
    private static String prometheusQuery(Path dir, int exporterPort, int agentPort, String query, String expected)
            throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: tcp_estats
                    metrics_path: /snmp
                    params:
                      module: [tcp_estats]
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                    relabel_configs:
                      - source_labels: [__address__]
                        target_label: __param_target
                      - source_labels: [__param_target]
                        target_label: instance
                      - target_label: __address__
                        replacement: 127.0.0.1:%d
                """.formatted(agentPort, exporterPort));
        Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                    + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(5)).build();
            String last = "";
            for (int i = 0; i < 100; i++) {
                try {
                    last = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                    if (last.contains(expected)) {
                        return last;
                    }
                } catch (java.io.IOException e) {
                    last = e.toString(); // not listening yet
                }
                Thread.sleep(200);
            }
            throw new AssertionError("Prometheus: " + last + "\n" + Files.readString(dir.resolve("prometheus.log")));
        } finally {
            prometheus.destroy();
            prometheus.waitFor();
        }
    }

    private static String scrape(int exporterPort, int agentPort, Path dir) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + exporterPort
                + "/snmp?module=tcp_estats&target=127.0.0.1:" + agentPort)).timeout(Duration.ofSeconds(20)).build();
        String last = "";
        for (int i = 0; i < 50; i++) {
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return r.body();
                }
                last = r.statusCode() + " " + r.body();
            } catch (java.io.IOException e) {
                last = e.toString(); // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("snmp_exporter: " + last + "\n" + Files.readString(dir.resolve("exporter.log")));
    }

    /** The value of {@code metric} for the connection with this connect index. */
    private static long value(String metrics, String metric, String index) {
        Matcher m = Pattern.compile("(?m)^" + metric + "\\{tcpEStatsConnectIndex=\"" + index + "\"} (\\S+)$")
                .matcher(metrics);
        assertTrue(m.find(), metric + " of " + index + " in\n" + metrics);
        return (long) Double.parseDouble(m.group(1));
    }
}
