package io.harstream.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@code prometheus} server from the PATH, run as a child process on loopback with the project's
 * recording and alert rules, scraping the demo's stream-app. Its data lives in a directory the demo
 * removes at the end; its output goes to a log file.
 */
public final class PrometheusProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusProcess.class);

    private final Process process;
    private final int port;

    private PrometheusProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The {@code prometheus} executable on the PATH, if any. */
    public static Optional<Path> findOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "prometheus");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The configuration the demo runs with: the project's rule files (absolute paths) and one scrape job
     * named as in {@code prometheus/prometheus.yml}, pointed at the stream-app on loopback.
     */
    static String config(int metricsPort, List<Path> ruleFiles) {
        StringBuilder yml = new StringBuilder("""
                # Written by harstream demo; the compose setup uses prometheus/prometheus.yml instead.
                global:
                  scrape_interval: 5s
                  evaluation_interval: 5s
                rule_files:
                """);
        for (Path rules : ruleFiles) {
            yml.append("  - '").append(rules.toAbsolutePath()).append("'\n");
        }
        yml.append("""
                scrape_configs:
                  - job_name: harstream
                    scrape_interval: 5s
                    scrape_timeout: 4s
                    metrics_path: /metrics
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                        labels:
                          service: stream-app
                """.formatted(metricsPort));
        return yml.toString();
    }

    /**
     * Starts Prometheus and returns once it runs; throws with its log's tail when it exits at once
     * (e.g. the port is taken).
     */
    public static PrometheusProcess start(Path executable, Path workDir, int webPort, int metricsPort,
                                          List<Path> ruleFiles, Path logFile) {
        try {
            Files.createDirectories(workDir);
            Path configFile = workDir.resolve("prometheus.yml");
            Files.writeString(configFile, config(metricsPort, ruleFiles));
            Process p = new ProcessBuilder(executable.toString(),
                    "--config.file=" + configFile,
                    "--storage.tsdb.path=" + workDir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + webPort)
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            // A bad configuration or a taken port ends it within a moment.
            if (p.waitFor(2, TimeUnit.SECONDS)) {
                throw new IllegalStateException("prometheus exited with code " + p.exitValue() + ", see " + logFile);
            }
            LOG.info("prometheus started on 127.0.0.1:{} (pid {}), log {}", webPort, p.pid(), logFile);
            return new PrometheusProcess(p, webPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start prometheus: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting prometheus", e);
        }
    }

    public int port() {
        return port;
    }

    /** Stops Prometheus (SIGTERM, then SIGKILL after 10 s) and waits for it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
