package io.harstream.demo;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleViewTest {

    private static DemoSnapshot snapshot(long nanos, long sent, long accepted, long[][] cm) {
        return new DemoSnapshot(nanos, sent, Map.of("accepted", accepted, "rejected", 3L, "duplicate", 0L, "late", 1L),
                Map.of("non_finite", 3L), List.of("Walking", "Sitting"), cm, 0, 0, 0);
    }

    @Test
    void ratesAccuracyRecallAndPrecisionComeFromTheCounters() {
        DemoSnapshot minuteAgo = snapshot(-58_000_000_000L, 500, 450, new long[][] {{1, 1}, {1, 1}});
        DemoSnapshot before = snapshot(0, 1_000, 900, new long[][] {{1, 1}, {1, 1}});
        // actual Walking: 8 right, 2 as Sitting; actual Sitting: 1 as Walking, 9 right
        DemoSnapshot now = snapshot(2_000_000_000L, 5_000, 4_900, new long[][] {{8, 2}, {1, 9}});
        String text = new ConsoleView("HEADER", 0.912).render(now, before, minuteAgo, Duration.ofSeconds(75));

        assertThat(text).startsWith("HEADER\nrunning 0:01:15");
        assertThat(text).contains("events sent           5,000       2,000/s");
        assertThat(text).contains("accepted            4,900       2,000/s   duplicate 0, late 1");
        assertThat(text).contains("dead letters            3           0/s   non_finite 3");
        assertThat(text).contains("accuracy              85.0 %   17 of 20 labelled windows");
        // the last 60 s: 15 of the 16 windows labelled since the snapshot a minute ago were right
        assertThat(text).contains("  last 60 s           93.8 %   15 of 16 labelled windows");
        assertThat(text).contains("  offline             91.2 %   the trainer's figure on the same people");
        assertThat(text).containsPattern("Walking +8 +2 +80\\.0%");
        assertThat(text).containsPattern("Sitting +1 +9 +90\\.0%");
        // precision: Walking 8 of 9 predicted, Sitting 9 of 11
        assertThat(text).containsPattern("precision +88\\.9% +81\\.8%");
        assertThat(text).as("a model that does not smooth").doesNotContain("smoothed");
    }

    @Test
    void aModelThatSmoothsShowsTheSmoothedAccuracyBelowTheRawOne() {
        DemoSnapshot before = snapshot(0, 1_000, 900, new long[][] {{1, 1}, {1, 1}});
        DemoSnapshot raw = snapshot(2_000_000_000L, 5_000, 4_900, new long[][] {{8, 2}, {1, 9}});
        DemoSnapshot now = new DemoSnapshot(raw.nanos(), raw.eventsSent(), raw.outcomes(), raw.deadLetters(),
                raw.classes(), raw.confusion(), raw.unlabelled(), 19, 20);
        String text = new ConsoleView("HEADER", 0.912).render(now, before, before, Duration.ofSeconds(75));
        assertThat(text).contains("accuracy              85.0 %   17 of 20 labelled windows\n"
                + "  smoothed            95.0 %   19 of 20 labelled windows");
    }

    @Test
    void beforeTheFirstPredictionThereIsNoAccuracyAndNoPercentages() {
        DemoSnapshot empty = snapshot(0, 0, 0, new long[][] {{0, 0}, {0, 0}});
        String text = new ConsoleView("H", 0.5).render(empty, empty, empty, Duration.ZERO);
        assertThat(text).contains("accuracy       (no labelled prediction)")
                .contains("last 0 s     (no labelled prediction)").containsPattern("precision +- +-");
    }
}
