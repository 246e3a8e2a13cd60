/**
 * Smoothing of window predictions over time: a hidden Markov model whose hidden state is the activity and whose
 * observations are the network's window probabilities. {@link io.harstream.core.smoothing.SmoothingModel} holds
 * what the trainer learns (class prior, transitions at the bundle's hop, the gap that restarts the filter);
 * {@link io.harstream.core.smoothing.ActivitySmoother} runs the causal forward filter one window at a time
 * (the stream-app, per device) or over a whole series with an optional fixed lag (the trainer's evaluation);
 * {@link io.harstream.core.smoothing.SmootherState} is one device's filter state in a compact binary form.
 * {@link io.harstream.core.smoothing.FixedLagSmoother} serves the fixed lag one window at a time, with the same labels
 * as the offline series, each {@code L} windows later; its per-device state is a
 * {@link io.harstream.core.smoothing.FixedLagState} (the filter plus the windows waiting for their labels).
 */
package io.harstream.core.smoothing;
