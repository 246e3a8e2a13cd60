package io.harstream.streamapp.http;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class HttpEndpointsTest {

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> call(HttpEndpoints http, String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesMetricsHealthAndReadiness() throws Exception {
        AtomicBoolean ready = new AtomicBoolean(false);
        try (HttpEndpoints http = HttpEndpoints.start(0, () -> "har_events_total 1.0\n",
                () -> new HttpEndpoints.Readiness(ready.get(), ready.get() ? "RUNNING" : "REBALANCING"))) {
            HttpResponse<String> metrics = call(http, "GET", "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).isEqualTo("har_events_total 1.0\n");
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue(HttpEndpoints.PROMETHEUS_TEXT);

            assertThat(call(http, "GET", "/health").statusCode()).isEqualTo(200);
            HttpResponse<String> notReady = call(http, "GET", "/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("REBALANCING");
            ready.set(true);
            assertThat(call(http, "GET", "/ready").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void answersOnlyItsOwnPathsAndMethods() throws Exception {
        try (HttpEndpoints http = HttpEndpoints.start(0, () -> "", () -> new HttpEndpoints.Readiness(true, "ok"))) {
            assertThat(call(http, "GET", "/metricsx").statusCode()).isEqualTo(404);
            assertThat(call(http, "GET", "/").statusCode()).isEqualTo(404);
            assertThat(call(http, "POST", "/ready").statusCode()).isEqualTo(405);
            assertThat(call(http, "HEAD", "/health").statusCode()).isEqualTo(200);
        }
    }
}
