/**
 * Checks of what the project ships for operations (Prometheus rules, Grafana dashboards, docker compose, the
 * launcher and scripts). The main code reads every PromQL expression from the repository's files
 * ({@link io.harstream.ops.PromQueries}) so that the tests can run each one against a real Prometheus
 * scraping a real stream-app, and fail when a query matches no series the app exports.
 */
package io.harstream.ops;
