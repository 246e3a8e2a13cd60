/**
 * Signals of the input's quality that need neither labels nor the model: {@link
 * io.harstream.streamapp.quality.WindowQuality} looks at each completed window's raw samples (the phone's own
 * axes, before any turning) and names the {@link io.harstream.streamapp.quality.WindowProblem}s it shows. The
 * stream-app counts them ({@code har_window_problems_total{kind}} against {@code har_windows_checked_total}), and
 * the Prometheus rules turn the counts into shares and alerts.
 */
package io.harstream.streamapp.quality;
