/**
 * The stream-app's operational HTTP endpoints on the JDK's built-in server: {@code /metrics} (Prometheus
 * text), {@code /health} (liveness: 200 while the process runs) and {@code /ready} (readiness: 200 only while
 * Kafka Streams is processing).
 */
package io.harstream.streamapp.http;
