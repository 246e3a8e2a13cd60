/**
 * The simulator ({@code harstream simulate}): replays the trainer's {@code test-set.txt} into Kafka as live
 * sensor events, one simulated device per person, optionally with deliberately bad records for the
 * dead-letter path.
 *
 * <p>Contracts: records are keyed by device id and encoded with core's {@code SensorEventCodec}, as the
 * stream-app expects; event timestamps keep the recorded spacing, and each device's are strictly increasing
 * (only the sending is paced), so the stream-app cuts the same windows the trainer cut from the file; a bad
 * record says which reject reason the stream-app must give it. {@link io.harstream.simulator.Simulator} runs
 * in-process too (the demo does).
 */
package io.harstream.simulator;
