/**
 * The model and how it travels: the network in DL4J ({@link io.harstream.core.model.HarNetwork}, built from a
 * {@link io.harstream.core.model.NetworkConfig}), the model bundle ({@link io.harstream.core.model.ModelBundle}:
 * {@code model.zip} with its {@link io.harstream.core.model.BundleManifest} in {@code model.json}), and the one
 * inference path ({@link io.harstream.core.model.ActivityClassifier}).
 *
 * <p>Contracts: the bundle carries everything a consumer needs to feed the network as the trainer did (class order,
 * window, axes frame, channels, normalization); the stream-app, the demo and the benchmarks take these from it,
 * never from settings of their own. {@link io.harstream.core.model.ModelBundle#load} validates a bundle completely
 * and fails with one {@link io.harstream.core.model.BundleException} naming the file and the problem, so a consumer
 * refuses a bad bundle before it starts; it refuses a format version it does not know and fills in the values older
 * bundles trained with but did not record. The trainer's evaluation and the stream-app classify through
 * {@code ActivityClassifier}, so offline and live figures come from the same code: core's {@code lstm} engine for the
 * shape {@code HarNetwork} builds, DL4J for any other. An {@code ActivityClassifier} is not thread-safe: one per
 * thread.
 *
 * <p>More: docs/design.md#model and docs/design.md#model-bundle.
 */
package io.harstream.core.model;
