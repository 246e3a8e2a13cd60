/**
 * What the network sees: the input {@link io.harstream.core.features.Channel}s computed from a window's raw axes,
 * their per-channel {@link io.harstream.core.features.Normalization}, and the
 * {@link io.harstream.core.features.Preprocessor} that turns windows into network input with both.
 *
 * <p>Contracts: this is the only code that computes network inputs. The trainer (its training batches, augmented or
 * not, and its evaluation) and the stream-app (through {@code model.ActivityClassifier}) both call it, so a window
 * gives the same input offline and live. The bundle records the channel ids
 * ({@link io.harstream.core.features.Channel#id()}) and the normalization, fitted on training windows only: renaming
 * a channel or changing how one is computed changes what every existing bundle means. The feature baseline shares
 * the definition of |a| ({@link io.harstream.core.features.Channel#magnitude}). A {@code Preprocessor} and a
 * {@code Normalization} are only read after construction, so one instance can serve several threads.
 *
 * <p>More: docs/design.md#the-central-invariant-one-preprocessing-path and docs/trainer.md#windows.
 */
package io.harstream.core.features;
