package io.harstream.trainer.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns a {@link TrainingOutcome} into the evaluation files: {@code history.csv}, {@code history.json},
 * {@code metrics.json}, {@code loss.png}, {@code accuracy.png}, {@code confusion_matrix.png}, the
 * self-contained {@code report.html} and, with smoothing, {@code smoothing.png}. Runs headless.
 */
public final class EvaluationWriter {

    public static final String HISTORY_CSV = "history.csv";
    public static final String HISTORY_JSON = "history.json";
    public static final String METRICS_JSON = "metrics.json";
    public static final String LOSS_PNG = "loss.png";
    public static final String ACCURACY_PNG = "accuracy.png";
    public static final String CONFUSION_PNG = "confusion_matrix.png";
    public static final String REPORT_HTML = "report.html";
    /** The strip plot of one test person's true, raw and smoothed activity; written only with smoothing. */
    public static final String SMOOTHING_PNG = "smoothing.png";
    /** The reliability diagram before and after calibration; written only with calibration. */
    public static final String RELIABILITY_PNG = "reliability.png";

    private EvaluationWriter() {
    }

    /**
     * Writes every evaluation file into {@code outDir} (created if missing; existing files of the same
     * names are replaced) and returns their paths, in the order of the constants above.
     *
     * @throws IllegalArgumentException if the outcome is inconsistent (class lists or per-class arrays
     *                                  that do not match the confusion matrix)
     * @throws UncheckedIOException     if a file cannot be written
     */
    public static List<Path> writeAll(TrainingOutcome outcome, Path outDir) {
        validate(outcome);
        try {
            Files.createDirectories(outDir);
            List<Path> written = new ArrayList<>();
            written.add(write(outDir.resolve(HISTORY_CSV), HistoryFiles.csv(outcome.history())));
            written.add(write(outDir.resolve(HISTORY_JSON), HistoryFiles.json(outcome.history())));
            written.add(write(outDir.resolve(METRICS_JSON), MetricsFile.json(outcome)));
            byte[] loss = Plots.png(Plots.lossChart(outcome.history()));
            byte[] accuracy = Plots.png(Plots.accuracyChart(outcome.history()));
            byte[] confusion = Plots.png(Plots.confusionMatrix(outcome.confusion()));
            written.add(Files.write(outDir.resolve(LOSS_PNG), loss));
            written.add(Files.write(outDir.resolve(ACCURACY_PNG), accuracy));
            written.add(Files.write(outDir.resolve(CONFUSION_PNG), confusion));
            byte[] strip = outcome.strip() == null ? null : Plots.png(Plots.activityStrip(outcome.strip()));
            byte[] reliability = outcome.calibration() == null ? null
                    : Plots.png(Plots.reliabilityDiagram(outcome.calibration()));
            written.add(write(outDir.resolve(REPORT_HTML),
                    HtmlReport.html(outcome, loss, accuracy, confusion, strip, reliability)));
            if (strip != null) {
                written.add(Files.write(outDir.resolve(SMOOTHING_PNG), strip));
            }
            if (reliability != null) {
                written.add(Files.write(outDir.resolve(RELIABILITY_PNG), reliability));
            }
            return List.copyOf(written);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the evaluation files to " + outDir, e);
        }
    }

    /**
     * Writes only {@code history.csv} and {@code history.json}: the trainer calls it after every epoch
     * so a long run can be watched, and leaves its curve behind if it is stopped.
     */
    public static void writeHistory(List<EpochStats> history, Path outDir) {
        try {
            Files.createDirectories(outDir);
            write(outDir.resolve(HISTORY_CSV), HistoryFiles.csv(history));
            write(outDir.resolve(HISTORY_JSON), HistoryFiles.json(history));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the history to " + outDir, e);
        }
    }

    private static Path write(Path file, String text) throws IOException {
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static void validate(TrainingOutcome o) {
        Objects.requireNonNull(o, "outcome");
        Objects.requireNonNull(o.classes(), "classes");
        Objects.requireNonNull(o.confusion(), "confusion");
        Objects.requireNonNull(o.history(), "history");
        Objects.requireNonNull(o.trainWindowsPerClass(), "trainWindowsPerClass");
        Objects.requireNonNull(o.testWindowsPerClass(), "testWindowsPerClass");
        if (!o.classes().equals(o.confusion().classes())) {
            throw new IllegalArgumentException("classes " + o.classes()
                    + " differ from the confusion matrix's " + o.confusion().classes());
        }
        int n = o.classes().size();
        if (o.trainWindowsPerClass().length != n || o.testWindowsPerClass().length != n) {
            throw new IllegalArgumentException("windows per class must have one entry per class (" + n + "), got "
                    + o.trainWindowsPerClass().length + " train and " + o.testWindowsPerClass().length + " test");
        }
    }
}
