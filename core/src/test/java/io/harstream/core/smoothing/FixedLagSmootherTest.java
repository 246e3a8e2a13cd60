package io.harstream.core.smoothing;

import io.harstream.core.model.ActivityClassifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FixedLagSmootherTest {

    private static final long HOP = 1000;
    private static final long MAX_GAP = 30_000;

    /** Three classes, the third one rare by the prior (0 in {@link #zeroPrior}), sticky transitions. */
    private static SmoothingModel model(double[] prior) {
        return new SmoothingModel(HOP, MAX_GAP, prior,
                new double[][] {{0.9, 0.07, 0.03}, {0.05, 0.9, 0.05}, {0.1, 0.1, 0.8}});
    }

    private static final double[] PRIOR = {0.5, 0.3, 0.2};

    /**
     * A series with everything that ends a run: gaps over the limit, steps back, a repeated start, missed windows
     * inside the limit, windows where the network gives 0 to every class the belief allows (the filter restarts),
     * and NaN from the network.
     */
    private static Series series(long seed, int n) {
        Random r = new Random(seed);
        long[] starts = new long[n];
        float[][] p = new float[n][];
        long t = 1_700_000_000_000L;
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(40);
            t += switch (kind) {
                case 0 -> MAX_GAP + 1 + r.nextInt(100_000);
                case 1 -> -r.nextInt(5_000);
                case 2 -> 0;
                case 3 -> 3 * HOP;
                default -> HOP + r.nextInt(50) - 25;
            };
            starts[i] = t;
            int c = r.nextInt(10) < 8 && i > 0 ? ActivityClassifier.argmax(p[i - 1]) : r.nextInt(3);
            float[] row = {r.nextFloat() * 0.3f, r.nextFloat() * 0.3f, r.nextFloat() * 0.3f};
            row[c] += 0.5f;
            if (r.nextInt(60) == 0) {
                row = new float[] {0f, 0f, 0f};
                row[r.nextInt(3)] = 1f;
            }
            if (r.nextInt(200) == 0) {
                row[0] = Float.NaN;
            }
            p[i] = row;
        }
        return new Series(starts, p);
    }

    private record Series(long[] starts, float[][] p) {
    }

    /** Feeds the series window by window, the state through its bytes each time, then finishes it. */
    private static List<LaggedLabel> online(FixedLagSmoother lagged, Series s) {
        List<LaggedLabel> out = new ArrayList<>();
        FixedLagState state = null;
        for (int i = 0; i < s.starts().length; i++) {
            FixedLagSmoother.Step step = lagged.step(state, s.starts()[i], s.starts()[i] + 9_950, i % 3,
                    s.p()[i]);
            out.addAll(step.labelled());
            state = FixedLagState.fromBytes(step.state().toBytes());
            assertThat(state).as("bit for bit through the bytes").isEqualTo(step.state());
        }
        out.addAll(lagged.finish(state));
        return out;
    }

    @ParameterizedTest(name = "lag {0}")
    @ValueSource(ints = {0, 1, 2, 5, 10, 37})
    void onlineLabelsAreTheOfflineSmoothersWindowByWindow(int lag) {
        for (double[] prior : List.of(PRIOR, new double[] {0.6, 0.4, 0.0})) {
            ActivitySmoother smoother = new ActivitySmoother(model(prior), 3);
            FixedLagSmoother lagged = new FixedLagSmoother(smoother, lag);
            for (long seed = 1; seed <= 5; seed++) {
                Series s = series(seed, 600);
                int[] offline = smoother.smooth(s.starts(), s.p(), lag);
                List<LaggedLabel> labels = online(lagged, s);
                assertThat(labels).as("every window labelled once, in order").hasSize(s.starts().length);
                for (int i = 0; i < labels.size(); i++) {
                    assertThat(labels.get(i).windowStart()).isEqualTo(s.starts()[i]);
                    assertThat(labels.get(i).windowEnd()).isEqualTo(s.starts()[i] + 9_950);
                    assertThat(labels.get(i).label()).isEqualTo(i % 3);
                    assertThat(labels.get(i).predicted()).as("seed %d window %d", seed, i).isEqualTo(offline[i]);
                }
            }
        }
    }

    @Test
    void withLagZeroTheLabelIsTheCausalFiltersAtOnce() {
        ActivitySmoother smoother = new ActivitySmoother(model(PRIOR), 3);
        FixedLagSmoother lagged = new FixedLagSmoother(smoother, 0);
        Series s = series(9, 300);
        FixedLagState state = null;
        SmootherState causal = null;
        for (int i = 0; i < 300; i++) {
            FixedLagSmoother.Step step = lagged.step(state, s.starts()[i], s.starts()[i], 0, s.p()[i]);
            causal = smoother.step(causal, s.starts()[i], s.p()[i]);
            state = step.state();
            assertThat(state.filter()).as("the causal filter is unchanged").isEqualTo(causal);
            assertThat(step.labelled()).extracting(LaggedLabel::predicted).containsExactly(causal.predicted());
        }
    }

    @Test
    void aLabelComesLagWindowsLaterAndARestartFlushesTheRunBeforeIt() {
        ActivitySmoother smoother = new ActivitySmoother(model(PRIOR), 3);
        FixedLagSmoother lagged = new FixedLagSmoother(smoother, 5);
        float[] walking = {0.8f, 0.1f, 0.1f};
        FixedLagState state = null;
        for (int i = 0; i < 5; i++) {
            FixedLagSmoother.Step step = lagged.step(state, i * HOP, i * HOP + 500, 0, walking);
            assertThat(step.labelled()).as("window %d: nothing final yet", i).isEmpty();
            state = step.state();
        }
        assertThat(state.waiting()).hasSize(5);
        FixedLagSmoother.Step sixth = lagged.step(state, 5 * HOP, 5 * HOP + 500, 0, walking);
        assertThat(sixth.labelled()).extracting(LaggedLabel::windowStart).containsExactly(0L);
        // A restart in the middle of the activity (a gap over the limit): the five waiting windows get their labels
        // from what their run had, before the restarting window, which starts a run of its own.
        long later = 5 * HOP + MAX_GAP + 1;
        FixedLagSmoother.Step restart = lagged.step(sixth.state(), later, later + 500, 0, walking);
        assertThat(restart.state().filter().restarted()).isTrue();
        assertThat(restart.labelled()).extracting(LaggedLabel::windowStart)
                .containsExactly(HOP, 2 * HOP, 3 * HOP, 4 * HOP, 5 * HOP);
        assertThat(restart.labelled()).extracting(LaggedLabel::predicted).containsOnly(0);
        assertThat(restart.state().waiting()).extracting(LagWindow::windowStart).containsExactly(later);
        assertThat(lagged.finish(restart.state())).extracting(LaggedLabel::windowStart).containsExactly(later);
        assertThat(lagged.finish(null)).isEmpty();
    }

    @Test
    void aLagFixesAnIsolatedWrongWindowAndFollowsARealChangeAtOnce() {
        SmoothingModel sticky = new SmoothingModel(HOP, MAX_GAP, new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0},
                new double[][] {{0.99, 0.005, 0.005}, {0.005, 0.99, 0.005}, {0.005, 0.005, 0.99}});
        FixedLagSmoother lagged = new FixedLagSmoother(new ActivitySmoother(sticky, 3), 5);
        int n = 100;
        Series s = new Series(new long[n], new float[n][]);
        for (int i = 0; i < n; i++) {
            s.starts()[i] = i * HOP;
            int c = i < 50 ? 0 : 1;
            s.p()[i] = new float[] {0.1f, 0.1f, 0.1f};
            s.p()[i][i == 20 ? 2 : c] = 0.8f;
        }
        List<LaggedLabel> labels = online(lagged, s);
        for (int i = 0; i < n; i++) {
            assertThat(labels.get(i).predicted()).as("window %d", i).isEqualTo(i < 50 ? 0 : 1);
        }
    }

    @Test
    void aStateOfAModelWithOtherClassesRestartsWithoutLabellingItsWindows() {
        FixedLagSmoother three = new FixedLagSmoother(new ActivitySmoother(model(PRIOR), 3), 3);
        FixedLagState state = null;
        for (int i = 0; i < 3; i++) {
            state = three.step(state, i * HOP, i * HOP, 0, new float[] {0.8f, 0.1f, 0.1f}).state();
        }
        SmoothingModel two = new SmoothingModel(HOP, MAX_GAP, new double[] {0.5, 0.5},
                new double[][] {{0.9, 0.1}, {0.1, 0.9}});
        FixedLagSmoother.Step next = new FixedLagSmoother(new ActivitySmoother(two, 2), 3)
                .step(state, 3 * HOP, 3 * HOP, 1, new float[] {0.3f, 0.7f});
        assertThat(next.labelled()).isEmpty();
        assertThat(next.state().filter().restarted()).isTrue();
        assertThat(next.state().waiting()).hasSize(1);
    }

    @Test
    void theStatesBytesAreReadByBothFormatsReaders() {
        ActivitySmoother smoother = new ActivitySmoother(model(PRIOR), 3);
        FixedLagSmoother lagged = new FixedLagSmoother(smoother, 3);
        Series s = series(4, 10);
        FixedLagState state = null;
        for (int i = 0; i < 10; i++) {
            state = lagged.step(state, s.starts()[i], s.starts()[i] + 1, LaggedLabel.UNLABELLED, s.p()[i]).state();
        }
        byte[] bytes = state.toBytes();
        assertThat(bytes).hasSize(1 + 11 + 8 * 3 + 2 + state.waiting().size() * (20 + 12 * 3));
        // A store written with a lag, read by an app without one: the filter goes on.
        assertThat(SmootherState.fromBytes(bytes)).isEqualTo(state.filter());
        // A causal state, read with a lag switched on: the filter goes on, no window waits.
        FixedLagState fromCausal = FixedLagState.fromBytes(state.filter().toBytes());
        assertThat(fromCausal.filter()).isEqualTo(state.filter());
        assertThat(fromCausal.waiting()).isEmpty();
        bytes[0] = 7;
        assertThatThrownBy(() -> FixedLagState.fromBytes(bytes)).hasMessage("unknown fixed-lag smoother state format 7");
        assertThatThrownBy(() -> new FixedLagSmoother(smoother, -1))
                .hasMessage("the smoothing lag must be 0 to 1000 windows, got -1");
    }
}
