package io.harstream.demo;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleViewTest {

    private static DemoSnapshot snapshot(long nanos, long sent, long accepted, long[][] cm) {
        return new DemoSnapshot(nanos, sent, Map.of("accepted", accepted, "rejected", 3L, "duplicate", 0L, "late", 1L),
                Map.of("non_finite", 3L), List.of("Walking", "Sitting"), cm, 0);
    }

    @Test
    void ratesAccuracyRecallAndPrecisionComeFromTheCounters() {
        DemoSnapshot before = snapshot(0, 1_000, 900, new long[][] {{0, 0}, {0, 0}});
        // actual Walking: 8 right, 2 as Sitting; actual Sitting: 1 as Walking, 9 right
        DemoSnapshot now = snapshot(2_000_000_000L, 5_000, 4_900, new long[][] {{8, 2}, {1, 9}});
        String text = new ConsoleView("HEADER").render(now, before, Duration.ofSeconds(75));

        assertThat(text).startsWith("HEADER\nrunning 0:01:15");
        assertThat(text).contains("events sent           5,000       2,000/s");
        assertThat(text).contains("accepted            4,900       2,000/s   duplicate 0, late 1");
        assertThat(text).contains("dead letters            3           0/s   non_finite 3");
        assertThat(text).contains("accuracy              85.0 %   17 of 20 labelled windows");
        assertThat(text).containsPattern("Walking +8 +2 +80\\.0%");
        assertThat(text).containsPattern("Sitting +1 +9 +90\\.0%");
        // precision: Walking 8 of 9 predicted, Sitting 9 of 11
        assertThat(text).containsPattern("precision +88\\.9% +81\\.8%");
    }

    @Test
    void beforeTheFirstPredictionThereIsNoAccuracyAndNoPercentages() {
        DemoSnapshot empty = snapshot(0, 0, 0, new long[][] {{0, 0}, {0, 0}});
        String text = new ConsoleView("H").render(empty, empty, Duration.ZERO);
        assertThat(text).contains("(no labelled prediction yet)").containsPattern("precision +- +-");
    }
}
