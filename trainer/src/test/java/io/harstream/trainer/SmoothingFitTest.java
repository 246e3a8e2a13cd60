package io.harstream.trainer;

import io.harstream.core.model.ActivityClassifier;
import io.harstream.core.smoothing.ActivitySmoother;
import io.harstream.core.smoothing.SmootherState;
import io.harstream.core.smoothing.SmoothingModel;
import io.harstream.core.window.Window;
import io.harstream.core.window.WindowSpec;
import io.harstream.trainer.report.ActivityStrip;
import io.harstream.trainer.report.SmoothedFigures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SmoothingFitTest {

    private static final List<String> CLASSES = List.of("A", "B", "C");
    /** 20 samples at 20 Hz: one hop is 1000 ms. */
    private static final WindowSpec SPEC = new WindowSpec(40, 20, 1000);

    private static LabeledWindow window(String user, long start, int label) {
        float[] axis = new float[SPEC.length()];
        return new LabeledWindow(user, 0, new Window(start, start + 1950, axis, axis, axis, label));
    }

    @Test
    void learnsOneHopTransitionsPerPersonWithAFloor() {
        List<LabeledWindow> train = new ArrayList<>();
        // user 1: A A A B B (one hop apart), then a window 5 hops later (a new series: not counted)
        int[] labels = {0, 0, 0, 1, 1};
        for (int i = 0; i < labels.length; i++) {
            train.add(window("1", 10_000 + i * 1000L, labels[i]));
        }
        train.add(window("1", 19_000, 2));
        // user 2, interleaved in the list: its own sequence, never paired with user 1's windows
        train.add(window("2", 10_500, 2));
        train.add(window("2", 11_480, 2));
        SmoothingModel m = SmoothingFit.learn(train, CLASSES.size(), SPEC, 20.0);
        assertThat(m.problem(CLASSES)).isNull();
        assertThat(m.hopMs()).isEqualTo(1000);
        // halfway between a hop (1 s) and a window (2 s) plus the series gap (1 s)
        assertThat(m.maxGapMs()).isEqualTo(2000);
        assertThat(SmoothingFit.maxGapMs(new WindowSpec(200, 20, 1000), 20.0)).isEqualTo(6000);
        assertThat(m.prior()).containsExactly(3 / 8.0, 2 / 8.0, 3 / 8.0);
        double f = SmoothingFit.FLOOR;
        double scale = 1 - 3 * f;
        // A: A->A twice, A->B once
        assertThat(m.transitions()[0][0]).isCloseTo(f + scale * 2 / 3.0, within(1e-12));
        assertThat(m.transitions()[0][1]).isCloseTo(f + scale / 3.0, within(1e-12));
        assertThat(m.transitions()[0][2]).isCloseTo(f, within(1e-12));
        // B: B->B once (B->C is 5 hops): never seen changing, still not impossible
        assertThat(m.transitions()[1]).containsExactly(new double[] {f, f + scale, f}, within(1e-12));
        // C: C->C once, from user 2
        assertThat(m.transitions()[2][2]).isCloseTo(f + scale, within(1e-12));
    }

    @Test
    void theEvaluationSmoothsEachPersonInTheOrderRecordedAsTheWindowByWindowFilterDoes() {
        SmoothingModel model = new SmoothingModel(1000, 30_000, new double[] {0.4, 0.3, 0.3},
                new double[][] {{0.98, 0.01, 0.01}, {0.01, 0.98, 0.01}, {0.01, 0.01, 0.98}});
        ActivitySmoother smoother = new ActivitySmoother(model, 3);
        List<LabeledWindow> test = new ArrayList<>();
        List<float[]> probs = new ArrayList<>();
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 60; i++) {
            String user = i % 3 == 0 ? "7" : "8"; // interleaved people
            int label = (i / 20) % 3;
            test.add(window(user, 1_000_000 + i * 1000L, label));
            float[] p = {0.1f, 0.1f, 0.1f};
            p[r.nextInt(5) == 0 ? (label + 1) % 3 : label] = 0.8f;
            probs.add(p);
        }
        float[][] p = probs.toArray(float[][]::new);
        SmoothedFigures figures = SmoothedEvaluation.of(smoother, test, p, CLASSES);
        // the window-by-window filter per person, as the stream-app runs it per device
        io.harstream.trainer.report.ConfusionMatrix expected = new io.harstream.trainer.report.ConfusionMatrix(CLASSES);
        for (String user : List.of("7", "8")) {
            SmootherState s = null;
            for (int i = 0; i < test.size(); i++) {
                if (test.get(i).user().equals(user)) {
                    s = smoother.step(s, test.get(i).window().startTs(), p[i]);
                    expected.add(test.get(i).label(), s.predicted());
                }
            }
        }
        assertThat(figures.causal().counts()).isDeepEqualTo(expected.counts());
        assertThat(figures.perUser()).containsOnlyKeys("7", "8");
        assertThat(figures.lagged()).containsOnlyKeys(SmoothedEvaluation.LAGS.toArray(Integer[]::new));
        assertThat(figures.causal().total()).isEqualTo(60);

        ActivityStrip strip = SmoothedEvaluation.strip(smoother, test, p, CLASSES);
        // the person whose predictions smoothing changes most
        int[] changed = new int[2];
        for (int i = 0; i < test.size(); i++) {
            int u = test.get(i).user().equals("7") ? 0 : 1;
            changed[u] += ActivityClassifier.argmax(p[i]) != smoothedOf(smoother, test, p, i) ? 1 : 0;
        }
        String most = changed[0] > changed[1] ? "7" : "8"; // on a tie, 8: more windows
        assertThat(strip.user()).isEqualTo(most);
        assertThat(strip.actual()).hasSize(most.equals("7") ? 20 : 40);
        assertThat(strip.restarts()).containsExactly(0);
        int stripChanged = 0;
        for (int t = 0; t < strip.raw().length; t++) {
            stripChanged += strip.raw()[t] != strip.smoothed()[t] ? 1 : 0;
        }
        assertThat(stripChanged).isEqualTo(Math.max(changed[0], changed[1])).isPositive();
    }

    /** The smoothed class of test window {@code i}: the filter over its person's windows up to it. */
    private static int smoothedOf(ActivitySmoother smoother, List<LabeledWindow> test, float[][] p, int i) {
        SmootherState s = null;
        for (int j = 0; j <= i; j++) {
            if (test.get(j).user().equals(test.get(i).user())) {
                s = smoother.step(s, test.get(j).window().startTs(), p[j]);
            }
        }
        return s.predicted();
    }
}
