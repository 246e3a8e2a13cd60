/**
 * Windows: how the samples of a device or a recording become the fixed-length windows the network classifies
 * ({@link io.harstream.core.window.Segmenter} over a {@link io.harstream.core.window.SeriesBuffer}, cut as a
 * {@link io.harstream.core.window.WindowSpec} says), and the axes they are read in
 * ({@link io.harstream.core.window.AxesFrame}: the phone's own, or the device's
 * {@link io.harstream.core.window.WalkingFrame}).
 *
 * <p>Contracts: {@code Segmenter} is the project's one segmentation. The trainer feeds it recordings, the stream-app
 * one live event at a time, and both get the same windows, so a replayed test set is classified as the offline
 * evaluation classified it. Windows are counted in samples, not milliseconds. A walking frame depends on every earlier
 * window of its device, in order, and never on a label; the trainer keeps one per person, the stream-app one per
 * device. The bundle records the window spec and the frame. {@code SeriesBuffer} and {@code WalkingFrame} have a
 * binary form that the stream-app keeps in its state stores, led by a format byte that readers check: change the
 * form, change the byte. Both are mutable and serve one device on one thread; a {@code Segmenter} holds only its
 * settings and can be shared.
 *
 * <p>More: docs/trainer.md#windows, docs/stream-app.md#topology and the README's glossary (walking frame).
 */
package io.harstream.core.window;
