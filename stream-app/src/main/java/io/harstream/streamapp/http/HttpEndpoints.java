package io.harstream.streamapp.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The operational HTTP endpoints, on the JDK's built-in server (nothing to add to the classpath):
 * <ul>
 *   <li>{@code /metrics}: Prometheus text format</li>
 *   <li>{@code /health}: 200 while the process is alive (liveness)</li>
 *   <li>{@code /ready}: 200 when the app is processing, else 503; the body says the state (readiness)</li>
 * </ul>
 */
public final class HttpEndpoints implements AutoCloseable {

    /** What {@code /ready} answers. */
    public record Readiness(boolean ready, String detail) {
    }

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoints.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private HttpEndpoints(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving on {@code port} on every interface (0: a free port, see {@link #port()}).
     *
     * @param metrics   the scrape text
     * @param readiness asked on every {@code /ready}
     */
    public static HttpEndpoints start(int port, Supplier<String> metrics, Supplier<Readiness> readiness) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on HTTP port " + port + ": " + e.getMessage(), e);
        }
        server.createContext("/metrics", ex -> respond(ex, 200, PROMETHEUS_TEXT, metrics.get()));
        server.createContext("/health", ex -> respond(ex, 200, "text/plain; charset=utf-8", "UP\n"));
        server.createContext("/ready", ex -> {
            Readiness r = readiness.get();
            respond(ex, r.ready() ? 200 : 503, "text/plain; charset=utf-8", r.detail() + "\n");
        });
        // Two threads: a slow scrape must not hold up the orchestrator's probes.
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "harstream-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        LOG.info("serving /metrics, /health and /ready on port {}", server.getAddress().getPort());
        return new HttpEndpoints(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String contentType, String body) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            if (!isExactPath(ex)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", contentType);
            if (method.equals("HEAD")) {
                ex.sendResponseHeaders(status, -1);
                return;
            }
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (RuntimeException e) {
            LOG.warn("HTTP {} failed: {}", ex.getRequestURI(), e.toString());
            throw e;
        }
    }

    /** The JDK server matches contexts by prefix; {@code /metricsfoo} is not {@code /metrics}. */
    private static boolean isExactPath(HttpExchange ex) {
        String path = ex.getRequestURI().getPath();
        String context = ex.getHttpContext().getPath();
        return path.equals(context) || path.equals(context + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
