package io.harstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The real Prometheus server (Debian's package {@code prometheus}) on loopback, for the tests: it scrapes one
 * target as job {@code harstream} every second, evaluates every rule file of {@code prometheus/rules/}
 * every second, keeps its data in a temporary directory, and answers instant queries through its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {

    /** The scrape job: the dashboards' JVM panels select {@code job="harstream"}, as prometheus/prometheus.yml names it. */
    static final String JOB = "harstream";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final String api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, Path log, String api) {
        this.process = process;
        this.log = log;
        this.api = api;
    }

    /**
     * Starts Prometheus scraping {@code 127.0.0.1:<targetPort>/metrics} and waits until it is ready.
     *
     * @param binary the prometheus executable ({@link Tools#require})
     * @param dir    an empty directory for the config, the data and the log
     */
    static PrometheusServer start(Path binary, Path dir, int targetPort) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path root = Tools.ROOT.toAbsolutePath().normalize();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  scrape_timeout: 1s",
                "  evaluation_interval: 1s",
                "rule_files:",
                "  - " + root.resolve("prometheus/rules") + "/*.yml",
                "scrape_configs:",
                "  - job_name: " + JOB,
                "    scrape_interval: 1s",
                "    scrape_timeout: 1s",
                "    metrics_path: /metrics",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + targetPort + "']",
                "        labels: {service: stream-app}",
                ""));
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, log, "http://127.0.0.1:" + port);
        try {
            server.waitFor("Prometheus ready", Duration.ofSeconds(60), () -> server.get("/-/ready").statusCode() == 200);
        } catch (Exception | AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The result of an instant query: the series of a vector, or the one [time, value] of a scalar. */
    List<JsonNode> query(String expr) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("status").asText()).as("query %s: %s", expr, r.body()).isEqualTo("success");
        List<JsonNode> out = new ArrayList<>();
        JsonNode result = body.path("data").path("result");
        if (body.path("data").path("resultType").asText().equals("scalar")) {
            out.add(result);
        } else {
            result.forEach(out::add);
        }
        return out;
    }

    /** The one sample's value of an expression that must give exactly one series. */
    double single(String expr) throws IOException, InterruptedException {
        List<JsonNode> result = query(expr);
        assertThat(result).as("series of %s", expr).hasSize(1);
        return value(result.get(0));
    }

    /** Every rule of every loaded group, as /api/v1/rules reports it (name, health, lastError, ...). */
    List<JsonNode> rules() throws IOException, InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode group : JSON.readTree(get("/api/v1/rules").body()).path("data").path("groups")) {
            group.path("rules").forEach(out::add);
        }
        return out;
    }

    /** A vector sample's (or a scalar's) value. */
    static double value(JsonNode sample) {
        JsonNode v = sample.has("value") ? sample.get("value") : sample;
        return Double.parseDouble(v.get(1).asText());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Prometheus' own output (warnings and errors). */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @FunctionalInterface
    interface Check {
        boolean ok() throws Exception;
    }

    /** Polls {@code check} every 250 ms until it holds; fails with Prometheus' log when it exits or time runs out. */
    void waitFor(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (check.ok()) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what + " (last error: "
                + last + "); Prometheus log:\n" + log());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
