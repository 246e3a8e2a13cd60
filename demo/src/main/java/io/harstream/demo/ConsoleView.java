package io.harstream.demo;

import io.harstream.streamapp.metrics.HarMetrics.Outcome;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders the demo's live view as plain text: rates between two snapshots, accuracy since the start and
 * over the last minute beside the model's offline figure, dead letters and the confusion matrix so far
 * (rows: actual, columns: predicted, with recall and precision). Pure: the caller decides where the text
 * goes and whether the screen is cleared first.
 */
public final class ConsoleView {

    /** How far back "recent" accuracy looks: long enough for a few hundred windows at the demo's pace. */
    public static final Duration RECENT = Duration.ofSeconds(60);

    private final String header;
    private final double offlineAccuracy;

    /**
     * @param header          the lines above the figures (where Kafka, metrics and Prometheus are)
     * @param offlineAccuracy the model's test accuracy as the trainer measured it, shown beside the live figures
     */
    public ConsoleView(String header, double offlineAccuracy) {
        this.header = header;
        this.offlineAccuracy = offlineAccuracy;
    }

    /**
     * @param now    the counters now
     * @param before the previous view's counters: the rates are over the time between them
     * @param recent the counters {@link #RECENT} ago (or at the start, when the demo is younger than that)
     */
    public String render(DemoSnapshot now, DemoSnapshot before, DemoSnapshot recent, Duration uptime) {
        double seconds = Math.max(1e-9, (now.nanos() - before.nanos()) / 1e9);
        StringBuilder out = new StringBuilder();
        out.append(header).append('\n');
        out.append(String.format(Locale.ROOT, "running %s   (Ctrl-C stops everything)%n%n", clock(uptime)));
        out.append(String.format(Locale.ROOT, "events sent    %,12d   %,9.0f/s%n", now.eventsSent(),
                (now.eventsSent() - before.eventsSent()) / seconds));
        out.append(String.format(Locale.ROOT, "  accepted     %,12d   %,9.0f/s   duplicate %,d, late %,d%n",
                now.outcome(Outcome.ACCEPTED), (now.outcome(Outcome.ACCEPTED) - before.outcome(Outcome.ACCEPTED)) / seconds,
                now.outcome(Outcome.DUPLICATE), now.outcome(Outcome.LATE)));
        out.append(String.format(Locale.ROOT, "  dead letters %,12d   %,9.0f/s   %s%n", now.deadLetterTotal(),
                (now.deadLetterTotal() - before.deadLetterTotal()) / seconds, reasons(now)));
        out.append(String.format(Locale.ROOT, "predictions    %,12d   %,9.0f/s%n", now.predictions(),
                (now.predictions() - before.predictions()) / seconds));
        out.append(accuracy("accuracy", now.correctPredictions(), now.labelledPredictions()));
        if (now.smoothedLabelled() > 0) {
            out.append(accuracy("  smoothed", now.smoothedCorrect(), now.smoothedLabelled()));
        }
        long seconds60 = Math.round((now.nanos() - recent.nanos()) / 1e9);
        out.append(accuracy(String.format(Locale.ROOT, "  last %d s", seconds60),
                now.correctPredictions() - recent.correctPredictions(),
                now.labelledPredictions() - recent.labelledPredictions()));
        out.append(String.format(Locale.ROOT, "  offline    %13.1f %%   the trainer's figure on the same people%n",
                100 * offlineAccuracy));
        out.append('\n').append(matrix(now));
        return out.toString();
    }

    private static String accuracy(String label, long correct, long labelled) {
        return labelled == 0 ? String.format(Locale.ROOT, "%-12s   (no labelled prediction)%n", label)
                : String.format(Locale.ROOT, "%-12s %13.1f %%   %,d of %,d labelled windows%n", label,
                100.0 * correct / labelled, correct, labelled);
    }

    /** The confusion matrix with recall per row and precision per column. */
    static String matrix(DemoSnapshot s) {
        List<String> classes = s.classes();
        long[][] cm = s.confusion();
        int width = Math.max("precision".length(), classes.stream().mapToInt(String::length).max().orElse(0)) + 1;
        int cell = Math.max(classes.stream().mapToInt(String::length).max().orElse(0) + 1, 8);
        StringBuilder out = new StringBuilder("confusion matrix so far (rows: actual, columns: predicted)\n");
        out.append(pad("", width));
        for (String c : classes) {
            out.append(padLeft(c, cell));
        }
        out.append(padLeft("recall", cell)).append('\n');
        for (int a = 0; a < classes.size(); a++) {
            out.append(pad(classes.get(a), width));
            long rowTotal = 0;
            for (int p = 0; p < classes.size(); p++) {
                out.append(padLeft(String.format(Locale.ROOT, "%,d", cm[a][p]), cell));
                rowTotal += cm[a][p];
            }
            out.append(padLeft(percent(cm[a][a], rowTotal), cell)).append('\n');
        }
        out.append(pad("precision", width));
        for (int p = 0; p < classes.size(); p++) {
            long colTotal = 0;
            for (long[] row : cm) {
                colTotal += row[p];
            }
            out.append(padLeft(percent(cm[p][p], colTotal), cell));
        }
        return out.append('\n').toString();
    }

    private static String reasons(DemoSnapshot s) {
        return s.deadLetters().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String percent(long part, long total) {
        return total == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / total);
    }

    private static String clock(Duration d) {
        long s = d.toSeconds();
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s.substring(0, width - 1) + " " : s + " ".repeat(width - s.length());
    }

    private static String padLeft(String s, int width) {
        return s.length() >= width ? " " + s : " ".repeat(width - s.length()) + s;
    }
}
