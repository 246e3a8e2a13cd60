package io.harstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Prometheus server (Debian's package) with this repository's rules, scraping a stand-in for the
 * stream-app: a loopback endpoint that serves every metric the stream-app exports, in Micrometer's text
 * format, with counters that grow at each scrape. Every rule must evaluate without error, and every
 * dashboard and recording-rule query ({@link PromQueries#all}) must return data, with the accuracy the
 * stand-in's counters imply.
 *
 * <p>The stand-in classifies, per scrape, each labelled class (Walking, Jogging, Sitting) 8 times right and
 * twice wrong, so accuracy is 24/30 = 0.8 at any time; and 3 unlabelled windows that must not count.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusEngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CLASSES = List.of("Walking", "Jogging", "Sitting");

    private Path tmp;
    private HttpServer standIn;
    private Process prometheus;
    private Path prometheusLog;
    private String api;
    private final AtomicLong scrapes = new AtomicLong();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        tmp = tempDir;
        Path binary = Tools.require("prometheus", "prometheus");
        standIn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        standIn.createContext("/metrics", exchange -> {
            byte[] body = exposition(scrapes.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            exchange.close();
        });
        standIn.start();

        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path root = Tools.ROOT.toAbsolutePath().normalize();
        Path config = tmp.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  evaluation_interval: 1s",
                "rule_files:",
                "  - " + root.resolve(PromQueries.RECORDING_RULES),
                "  - " + root.resolve(PromQueries.ALERT_RULES),
                "scrape_configs:",
                "  - job_name: harstream",
                "    scrape_interval: 1s",
                "    scrape_timeout: 1s",
                "    metrics_path: /metrics",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + standIn.getAddress().getPort() + "']",
                "        labels: {service: stream-app}",
                ""));
        prometheusLog = tmp.resolve("prometheus.log");
        prometheus = new ProcessBuilder(binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + tmp.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(prometheusLog.toFile()).start();
        api = "http://127.0.0.1:" + port;
        waitFor("Prometheus ready", Duration.ofSeconds(60), () -> get("/-/ready").statusCode() == 200);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (standIn != null) {
            standIn.stop(0);
        }
    }

    @Test
    void rulesEvaluateAndEveryQueryReturnsData() throws Exception {
        // Rate windows need two scrapes; rules then need one more evaluation.
        waitFor("rules with data", Duration.ofSeconds(60), () -> !query("har:inference_batch_size:mean5m").isEmpty()
                && !query("har:accuracy:ratio5m").isEmpty() && !query("har:events_rejected:ratio5m").isEmpty());
        Thread.sleep(2500); // one more evaluation round for every group

        // No rule failed to evaluate (wrong matching, duplicate series, ...).
        JsonNode groups = JSON.readTree(get("/api/v1/rules").body()).path("data").path("groups");
        List<String> unhealthy = new ArrayList<>();
        int rules = 0;
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                rules++;
                if (!rule.path("health").asText().equals("ok")) {
                    unhealthy.add(rule.path("name").asText() + ": " + rule.path("health").asText() + " " + rule.path("lastError").asText());
                }
            }
        }
        assertThat(rules).isEqualTo(PromQueries.recordingRules(Tools.ROOT).size() + PromQueries.alertRules(Tools.ROOT).size());
        assertThat(unhealthy).as("rules with evaluation errors; Prometheus log:\n%s", log()).isEmpty();

        List<String> empty = new ArrayList<>();
        for (PromQuery q : PromQueries.all(Tools.ROOT)) {
            if (query(q.exprForPrometheus()).isEmpty()) {
                empty.add(q.toString());
            }
        }
        assertThat(empty).as("queries without data").isEmpty();

        assertThat(value(query("har:accuracy:ratio_cumulative").get(0))).isEqualTo(0.8);
        assertThat(value(query("har:accuracy:ratio5m").get(0))).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-9));
        List<JsonNode> recall = query("har:class_recall:ratio_cumulative");
        assertThat(recall).hasSize(CLASSES.size());
        assertThat(recall).allSatisfy(s -> assertThat(value(s)).isEqualTo(0.8));
        // The confusion matrix has one cell per labelled class pair.
        assertThat(query("sum by (actual, predicted) (har_predictions_total{actual!=\"unknown\"})")).hasSize(CLASSES.size() * CLASSES.size());
        assertThat(query("har_model_info").get(0).path("metric").path("version").asText()).isEqualTo("test-1");

        // Nothing alarming in the stand-in's figures: no alert pending or firing.
        assertThat(query("ALERTS")).as("alerts").isEmpty();
    }

    /** The stand-in's /metrics at the n-th scrape, in the Prometheus text format Micrometer writes. */
    private static String exposition(long n) {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP har_events_total Sensor events by outcome\n# TYPE har_events_total counter\n");
        sb.append(line("har_events_total{outcome=\"accepted\"}", 200.0 * n));
        sb.append(line("har_events_total{outcome=\"rejected\"}", 2.0 * n));
        sb.append(line("har_events_total{outcome=\"duplicate\"}", 1.0 * n));
        sb.append(line("har_events_total{outcome=\"late\"}", 0));
        sb.append("# TYPE har_predictions_total counter\n");
        for (String actual : List.of("Walking", "Jogging", "Sitting", "unknown")) {
            for (int p = 0; p < CLASSES.size(); p++) {
                String predicted = CLASSES.get(p);
                double perScrape;
                if (actual.equals("unknown")) {
                    perScrape = 1;
                } else if (actual.equals(predicted)) {
                    perScrape = 8;
                } else {
                    perScrape = 1; // two wrong per class: one into each other class
                }
                sb.append(line("har_predictions_total{actual=\"" + actual + "\",predicted=\"" + predicted + "\"}", perScrape * n));
            }
        }
        sb.append("# TYPE har_dead_letters_total counter\n");
        for (String reason : List.of("malformed_json", "missing_field", "wrong_type", "non_finite", "out_of_range",
                "key_mismatch", "unknown_activity", "oversized")) {
            sb.append(line("har_dead_letters_total{reason=\"" + reason + "\"}", reason.equals("malformed_json") ? 2.0 * n : 0));
        }
        sb.append("# TYPE har_series_restarts_total counter\n");
        sb.append(line("har_series_restarts_total{reason=\"gap\"}", 1.0 * n));
        sb.append(line("har_series_restarts_total{reason=\"step_back\"}", 0));
        histogram(sb, "har_inference_batch_seconds", new double[] {0.001, 0.005, 0.01, 0.05, 0.1}, new double[] {0, 2, 6, 8, 8}, 8, 0.06, n);
        histogram(sb, "har_inference_batch_size", new double[] {1, 4, 16, 64}, new double[] {0, 2, 8, 8}, 8, 27, n);
        histogram(sb, "har_event_to_prediction_seconds", new double[] {0.05, 0.1, 0.5, 1, 5}, new double[] {1, 10, 25, 27, 27}, 27, 6.1, n);
        sb.append("# TYPE har_model_info gauge\n");
        sb.append(line("har_model_info{classes=\"Walking,Jogging,Sitting\",version=\"test-1\"}", 1));
        sb.append("# TYPE kafka_consumer_fetch_manager_records_lag_max gauge\n");
        sb.append(line("kafka_consumer_fetch_manager_records_lag_max{client_id=\"harstream-StreamThread-1-consumer\",kafka_version=\"3.9.0\",spring_id=\"\"}", 42));
        sb.append(line("kafka_consumer_fetch_manager_records_lag_max{client_id=\"harstream-StreamThread-1-restore-consumer\",kafka_version=\"3.9.0\",spring_id=\"\"}", Double.NaN));
        sb.append("# TYPE kafka_consumer_fetch_manager_records_lag gauge\n");
        sb.append(line("kafka_consumer_fetch_manager_records_lag{client_id=\"harstream-StreamThread-1-consumer\",kafka_version=\"3.9.0\",partition=\"0\",spring_id=\"\",topic=\"sensor-events\"}", 7));
        sb.append("# TYPE kafka_stream_thread_process_rate gauge\n");
        sb.append(line("kafka_stream_thread_process_rate{kafka_version=\"3.9.0\",spring_id=\"\",thread_id=\"harstream-StreamThread-1\"}", 180.5));
        sb.append("# TYPE jvm_memory_used_bytes gauge\n");
        sb.append(line("jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"}", 5.0e7));
        sb.append(line("jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"}", 3.0e7));
        sb.append("# TYPE jvm_gc_pause_seconds summary\n");
        sb.append(line("jvm_gc_pause_seconds_count{action=\"end of minor GC\",cause=\"G1 Evacuation Pause\",gc=\"G1 Young Generation\"}", n));
        sb.append(line("jvm_gc_pause_seconds_sum{action=\"end of minor GC\",cause=\"G1 Evacuation Pause\",gc=\"G1 Young Generation\"}", 0.004 * n));
        sb.append("# TYPE process_cpu_usage gauge\n");
        sb.append(line("process_cpu_usage", 0.25));
        return sb.toString();
    }

    /** A histogram whose buckets grow by {@code perScrape[i]} (cumulative) each scrape. */
    private static void histogram(StringBuilder sb, String name, double[] le, double[] perScrape, double countPerScrape,
                                  double sumPerScrape, long n) {
        sb.append("# TYPE ").append(name).append(" histogram\n");
        for (int i = 0; i < le.length; i++) {
            sb.append(line(name + "_bucket{le=\"" + le[i] + "\"}", perScrape[i] * n));
        }
        sb.append(line(name + "_bucket{le=\"+Inf\"}", countPerScrape * n));
        sb.append(line(name + "_count", countPerScrape * n));
        sb.append(line(name + "_sum", sumPerScrape * n));
    }

    private static String line(String series, double value) {
        String v = Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%s", value);
        return series + " " + v + "\n";
    }

    private List<JsonNode> query(String expr) throws IOException, InterruptedException {
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

    private static double value(JsonNode sample) {
        return Double.parseDouble(sample.path("value").get(1).asText());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String log() {
        try {
            return Files.readString(prometheusLog);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean ok() throws Exception;
    }

    private void waitFor(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!prometheus.isAlive()) {
                throw new AssertionError("prometheus exited with " + prometheus.exitValue() + ":\n" + log());
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
        throw new AssertionError("timed out waiting for " + what + " (last error: " + last + "); Prometheus log:\n" + log());
    }
}
