/**
 * The stream-app's Kafka Streams topology ({@link io.harstream.streamapp.topology.HarTopology}) and its
 * processors: validation with dead letters, per-device windowing with core's segmenter, and batched
 * classification. Each processor extends Kafka's {@code ContextualProcessor}.
 *
 * <p>Contracts: the windows are exactly those the trainer cuts from the same samples (same segmenter, same
 * axes frame), so a replayed recording is classified as the offline evaluation classifies it; all state
 * (each device's series and walking frame, windows waiting for a batch) lives in changelogged stores, so a
 * restarted or migrated task resumes where the last commit left it and predicts every window once.
 */
package io.harstream.streamapp.topology;
