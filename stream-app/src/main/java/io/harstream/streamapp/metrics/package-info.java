/**
 * The stream-app's own Micrometer meters ({@link io.harstream.streamapp.metrics.HarMetrics}). Their names,
 * labels and label values are a contract: the Prometheus recording and alerting rules, the Grafana
 * dashboards and the demo's live view read them, and ops-tests checks every query against them. Every label
 * combination exists from startup, and no label carries a device id.
 */
package io.harstream.streamapp.metrics;
