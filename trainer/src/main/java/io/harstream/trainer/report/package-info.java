/**
 * What a training run reports: the figures ({@link io.harstream.trainer.report.TrainingOutcome}, with its
 * {@link io.harstream.trainer.report.ConfusionMatrix}, {@link io.harstream.trainer.report.EpochStats} history and the
 * baseline's and cross-validation's outcomes) and the files {@link io.harstream.trainer.report.EvaluationWriter}
 * makes of them: {@code history.csv}, {@code history.json}, {@code metrics.json}, {@code loss.png},
 * {@code accuracy.png}, {@code confusion_matrix.png} and {@code report.html}.
 *
 * <p>Contracts: the outputs say which split produced the figures, and a random split is marked leaky.
 * {@code metrics.json} has its keys in a fixed order and writes non-finite numbers as {@code null};
 * {@code history.json} has the shape of the seed's {@code history} dict (one list per figure, one element per epoch).
 * A precision, recall, F1 or accuracy with a zero denominator is 0, never NaN. {@code report.html} is one
 * self-contained page (no scripts, no external resources, every text from the outcome escaped), and everything
 * renders headless. An outcome is not changed once built; a {@code ConfusionMatrix} is mutable while it is counted
 * and not thread-safe.
 *
 * <p>More: docs/trainer.md#what-it-prints-and-writes.
 */
package io.harstream.trainer.report;
