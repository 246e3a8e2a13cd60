/**
 * The stream-app: a Kafka Streams application that reads sensor events, cuts each device's windows, classifies
 * them in batches with the LSTM of a model bundle and writes one prediction per window, exactly once.
 * {@link io.harstream.streamapp.StreamApp} is the command line; {@link io.harstream.streamapp.StreamApp#start}
 * returns a {@link io.harstream.streamapp.RunningStreamApp}, which is how the demo embeds the same app.
 *
 * <p>Contracts with the rest of the project: the input is the {@code sensor-events} topic, keyed by device id,
 * in core's {@code SensorEventCodec} format; the output is {@code activity-predictions} in core's
 * {@code PredictionCodec} format, committed under {@code exactly_once_v2}; rejected records go to the
 * dead-letter topic unchanged, with the reason in headers; the meters in
 * {@link io.harstream.streamapp.metrics} are what the Prometheus rules and Grafana dashboards query. The app
 * does not create topics, and refuses a model bundle it cannot load before it touches Kafka.
 */
package io.harstream.streamapp;
