/**
 * The feature baseline shown beside the LSTM: per-window statistics
 * ({@link io.harstream.trainer.baseline.WindowFeatures}) fed to a random forest of CART trees (Tribuo,
 * {@link io.harstream.trainer.baseline.FeatureBaseline}), each feature cut into quantile bins fitted on the training
 * windows ({@link io.harstream.trainer.baseline.QuantileBins}).
 *
 * <p>Contracts: the baseline trains and tests on exactly the LSTM's windows (in the recipe's axes frame) and folds,
 * so the difference between the two is what the sequence model buys over summary statistics. It is a yardstick only:
 * not in the bundle, not used by the stream-app. The same windows, labels and seed give the same forest. Its |a| is
 * core's ({@code Channel.magnitude}). A trained {@code FeatureBaseline} is immutable; {@code WindowFeatures} is a pure
 * function of one window.
 *
 * <p>More: docs/trainer.md#feature-baseline; how depth, bins and features were chosen:
 * BENCHMARKS.md#feature-baseline.
 */
package io.harstream.trainer.baseline;
