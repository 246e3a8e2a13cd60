package io.harstream.streamapp.it;

import io.harstream.streamapp.StreamApp;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The stream-app's command line in a child JVM, so that a test can kill it the hard way (SIGKILL: no
 * shutdown hook, no commit, no leaving the group) — a crash, not a shutdown — or stop it as an orchestrator
 * does (SIGTERM) and see its exit status.
 */
final class StreamAppProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int httpPort;

    private StreamAppProcess(Process process, Path log, int httpPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    /**
     * Starts the command with {@code settings} (properties-file keys, as {@link ManyDevicesScenario#settings}
     * makes them) as flags, on a free HTTP port.
     */
    static StreamAppProcess start(Map<String, String> settings, Path log) throws IOException {
        List<String> args = new ArrayList<>();
        settings.forEach((k, v) -> {
            if (k.startsWith("kafka.")) {
                args.add("--kafka=" + k.substring("kafka.".length()) + "=" + v);
            } else if (!k.equals("http.port")) {
                args.add("--" + flagOf(k) + "=" + v);
            }
        });
        return start(args, freePort(), log);
    }

    static StreamAppProcess start(List<String> args, int httpPort, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx768m");
        cmd.add("--add-modules=jdk.incubator.vector"); // the fast inference path, as the launcher runs it
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            cmd.add("-Dlogback.configurationFile=" + logback);
        }
        cmd.add("-cp");
        // Surefire's real test class path (java.class.path may be a manifest-only booter jar).
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add(StreamApp.class.getName());
        cmd.addAll(args);
        cmd.add("--http-port=" + httpPort);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return new StreamAppProcess(pb.start(), log, httpPort);
    }

    int httpPort() {
        return httpPort;
    }

    /** Polls {@code /ready} until it answers 200. */
    void awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("stream-app process exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + httpPort + "/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("stream-app process not ready after " + timeout.toSeconds() + " s:\n" + logTail());
    }

    /** SIGKILL. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, without waiting: the exit status comes with {@link #exit()}. */
    void terminate() {
        process.destroy();
    }

    /** Completes with the exit status when the process has ended. */
    CompletableFuture<Integer> exit() {
        return process.onExit().thenApply(Process::exitValue);
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Properties-file key to command-line flag: dead.letter.topic -> dead-letter-topic, model.bundle -> model. */
    private static String flagOf(String key) {
        return key.equals("model.bundle") ? "model" : key.replace('.', '-');
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
