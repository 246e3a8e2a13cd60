/**
 * The records on harstream's Kafka topics and their JSON: a {@link io.harstream.core.event.SensorEvent} on
 * {@code sensor-events} and an {@link io.harstream.core.event.ActivityPrediction} on {@code activity-predictions},
 * both keyed by device id, and why an input record is rejected ({@link io.harstream.core.event.RejectReason}).
 *
 * <p>Contracts: {@link io.harstream.core.event.SensorEventCodec} is the one definition of a valid event: the
 * simulator and the benchmarks encode with it, the stream-app decodes with it, and every way an event can be wrong
 * maps to exactly one reason. A reason's {@link io.harstream.core.event.RejectReason#id()} is the value of the
 * dead-letter header and of the stream-app's metric label, which the Prometheus rules and Grafana dashboards read:
 * renaming a constant changes that contract. {@link io.harstream.core.event.PredictionCodec} writes a prediction's
 * components as JSON fields and ignores unknown fields when it reads one. The codecs keep no state and are
 * thread-safe.
 *
 * <p>More: docs/stream-app.md#record-formats and docs/design.md#kafka-contract.
 */
package io.harstream.core.event;
