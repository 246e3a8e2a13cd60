package io.harstream.core.smoothing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActivitySmootherTest {

    private static final long HOP = 1000;
    private static final long MAX_GAP = 30_000;

    /** Three classes, equally common, staying with probability {@code stay} from one hop to the next. */
    private static SmoothingModel sticky(double stay) {
        double move = (1 - stay) / 2;
        return new SmoothingModel(HOP, MAX_GAP, new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0},
                new double[][] {{stay, move, move}, {move, stay, move}, {move, move, stay}});
    }

    /** A network fairly sure of {@code c}: 0.8 for it, 0.1 for the others. */
    private static float[] sure(int c) {
        float[] p = {0.1f, 0.1f, 0.1f};
        p[c] = 0.8f;
        return p;
    }

    private static long[] everyHop(int n) {
        long[] starts = new long[n];
        for (int i = 0; i < n; i++) {
            starts[i] = 1_000_000 + i * HOP;
        }
        return starts;
    }

    @Test
    void anIsolatedWrongWindowInALongRunIsFixed() {
        ActivitySmoother smoother = new ActivitySmoother(sticky(0.99), 3);
        float[][] probs = new float[60][];
        for (int i = 0; i < probs.length; i++) {
            probs[i] = sure(0);
        }
        probs[30] = sure(2);
        int[] smoothed = smoother.smooth(everyHop(60), probs, 0);
        assertThat(smoothed).containsOnly(0);
    }

    @Test
    void aSmallerEvidenceExponentNeedsALongerRunToChangeItsMind() {
        float[][] probs = new float[80][];
        for (int i = 0; i < probs.length; i++) {
            probs[i] = sure(i < 40 ? 0 : 1);
        }
        int plain = firstOf(new ActivitySmoother(sticky(0.99), 3).smooth(everyHop(80), probs, 0), 1, 40);
        int tempered = firstOf(new ActivitySmoother(sticky(0.99).withEvidenceExponent(0.25), 3)
                .smooth(everyHop(80), probs, 0), 1, 40);
        assertThat(plain).isBetween(40, 44);
        assertThat(tempered).isGreaterThan(plain).isLessThan(80);
        // exponent 1 is the plain filter, bit for bit
        ActivitySmoother one = new ActivitySmoother(sticky(0.99).withEvidenceExponent(1.0), 3);
        ActivitySmoother plainFilter = new ActivitySmoother(sticky(0.99), 3);
        assertThat(one.step(one.step(null, 0, sure(0)), HOP, sure(2)))
                .isEqualTo(plainFilter.step(plainFilter.step(null, 0, sure(0)), HOP, sure(2)));
    }

    private static int firstOf(int[] smoothed, int c, int from) {
        for (int i = from; i < smoothed.length; i++) {
            if (smoothed[i] == c) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aRealChangeIsFollowedWithinAFewWindows() {
        ActivitySmoother smoother = new ActivitySmoother(sticky(0.99), 3);
        float[][] probs = new float[80][];
        for (int i = 0; i < probs.length; i++) {
            probs[i] = sure(i < 40 ? 0 : 1);
        }
        int[] smoothed = smoother.smooth(everyHop(80), probs, 0);
        int firstNew = -1;
        for (int i = 40; i < 80 && firstNew < 0; i++) {
            firstNew = smoothed[i] == 1 ? i : -1;
        }
        // Log-odds move by ln 8 per window and must first climb out of a belief bounded by the transition floor.
        assertThat(firstNew).isBetween(41, 44);
        for (int i = firstNew; i < 80; i++) {
            assertThat(smoothed[i]).isEqualTo(1);
        }
        for (int i = 0; i < 40; i++) {
            assertThat(smoothed[i]).isZero();
        }
    }

    @Test
    void aFixedLagFollowsAChangeSooner() {
        ActivitySmoother smoother = new ActivitySmoother(sticky(0.99), 3);
        float[][] probs = new float[80][];
        for (int i = 0; i < probs.length; i++) {
            probs[i] = sure(i < 40 ? 0 : 1);
        }
        int[] causal = smoother.smooth(everyHop(80), probs, 0);
        int[] lagged = smoother.smooth(everyHop(80), probs, 5);
        assertThat(count(lagged, 1)).isEqualTo(40).isGreaterThan(count(causal, 1));
        assertThat(lagged[40]).isEqualTo(1);
        assertThat(lagged[39]).isZero();
    }

    @Test
    void theCausalSeriesIsTheWindowByWindowFilter() {
        ActivitySmoother smoother = new ActivitySmoother(sticky(0.9), 3);
        java.util.Random r = new java.util.Random(3);
        int n = 200;
        float[][] probs = new float[n][];
        long[] starts = new long[n];
        long t = 5_000;
        for (int i = 0; i < n; i++) {
            float a = r.nextFloat();
            float b = r.nextFloat() * (1 - a);
            probs[i] = new float[] {a, b, 1 - a - b};
            t += r.nextInt(10) == 0 ? 40_000 : HOP + r.nextInt(50) - 25;
            starts[i] = t;
        }
        int[] whole = smoother.smooth(starts, probs, 0);
        SmootherState state = null;
        for (int i = 0; i < n; i++) {
            state = SmootherState.fromBytes(smoother.step(state, starts[i], probs[i]).toBytes());
            assertThat(state.predicted()).isEqualTo(whole[i]);
        }
    }

    @Test
    void aLongGapRestartsTheFilterAtTheNetworksOwnPrediction() {
        ActivitySmoother smoother = new ActivitySmoother(sticky(0.999), 3);
        SmootherState s = null;
        for (int i = 0; i < 100; i++) {
            s = smoother.step(s, 1_000 + i * HOP, sure(0));
        }
        assertThat(s.belief()[0]).isGreaterThan(0.999);
        // Within the gap limit, one window of class 2 does not change the smoothed prediction...
        SmootherState near = smoother.step(s, s.windowStart() + MAX_GAP, sure(2));
        assertThat(near.restarted()).isFalse();
        assertThat(near.predicted()).isZero();
        // ...after a longer gap the filter starts over: the network's probabilities, exactly.
        SmootherState after = smoother.step(s, s.windowStart() + MAX_GAP + 1, sure(2));
        assertThat(after.restarted()).isTrue();
        assertThat(after.predicted()).isEqualTo(2);
        assertThat(after.probabilities()).containsExactly(sure(2));
        // A window that does not start after the previous one (the series stepped back) restarts it too.
        assertThat(smoother.step(s, s.windowStart(), sure(1)).restarted()).isTrue();
        assertThat(smoother.step(null, 7, sure(1)).restarted()).isTrue();
    }

    @Test
    void missedWindowsWithinTheGapLimitCountAsHops() {
        SmoothingModel model = sticky(0.9);
        ActivitySmoother smoother = new ActivitySmoother(model, 3);
        SmootherState s = new SmootherState(0, new double[] {1, 0, 0}, false);
        float[] flat = {1 / 3f, 1 / 3f, 1 / 3f};
        // Two hops of T from certainty in class 0: 0.9^2 + 2 * 0.05^2 stays in 0.
        SmootherState two = smoother.step(s, 2 * HOP, flat);
        assertThat(two.belief()[0]).isCloseTo(0.81 + 0.005, org.assertj.core.data.Offset.offset(1e-6));
        SmootherState one = smoother.step(s, HOP + 300, flat);
        assertThat(one.belief()[0]).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void aClassWithZeroPriorStaysFiniteAndReachable() {
        SmoothingModel model = new SmoothingModel(HOP, MAX_GAP, new double[] {0.5, 0.5, 0.0},
                sticky(0.99).transitions());
        ActivitySmoother smoother = new ActivitySmoother(model, 3);
        float[][] probs = new float[40][];
        for (int i = 0; i < probs.length; i++) {
            probs[i] = sure(i < 20 ? 0 : 2);
        }
        SmootherState s = null;
        int[] smoothed = new int[probs.length];
        for (int i = 0; i < probs.length; i++) {
            s = smoother.step(s, 1_000 + i * HOP, probs[i]);
            for (double b : s.belief()) {
                assertThat(b).isBetween(0.0, 1.0);
            }
            smoothed[i] = s.predicted();
        }
        assertThat(smoothed[19]).isZero();
        assertThat(smoothed[39]).isEqualTo(2);
    }

    @Test
    void theBeliefStaysNormalisedOverVeryLongConfidentSeries() {
        ActivitySmoother smoother = new ActivitySmoother(sticky(0.999), 3);
        float[] certain = {1f, 0f, 0f};
        SmootherState s = null;
        for (int i = 0; i < 100_000; i++) {
            s = smoother.step(s, 1_000L + i * HOP, certain);
        }
        double sum = s.belief()[0] + s.belief()[1] + s.belief()[2];
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s.restarted()).isFalse();
        // Every class the belief allows now gets probability 0 from the network: the filter restarts, no NaN.
        SmootherState odd = smoother.step(new SmootherState(s.windowStart(), new double[] {1, 0, 0}, false),
                s.windowStart() + HOP, new float[] {0f, 1f, 0f});
        assertThat(odd.predicted()).isEqualTo(1);
        // Garbage from the network: a uniform belief, not NaN.
        SmootherState nan = smoother.step(null, 5, new float[] {Float.NaN, 0f, 0f});
        assertThat(nan.belief()).containsExactly(1 / 3.0, 1 / 3.0, 1 / 3.0);
    }

    @Test
    void theStateRoundTripsCompactlyAndExactly() {
        SmootherState s = new SmootherState(1_700_000_000_123L, new double[] {0.1 + 1e-17, 0.2, 0.7 - 1e-12}, true);
        byte[] bytes = s.toBytes();
        assertThat(bytes).hasSize(12 + 8 * 3);
        assertThat(SmootherState.fromBytes(bytes)).isEqualTo(s);
        bytes[0] = 9;
        assertThatThrownBy(() -> SmootherState.fromBytes(bytes)).hasMessageContaining("format 9");
    }

    @Test
    void badParametersAreNamedInOneLine() {
        List<String> classes = List.of("Walking", "Jogging", "Sitting");
        SmoothingModel ok = sticky(0.9);
        assertThat(ok.problem(classes)).isNull();
        double[][] t = ok.transitions().clone();
        t[1] = new double[] {0.5, 0.4, 0.2};
        assertThat(new SmoothingModel(HOP, MAX_GAP, ok.prior(), t).problem(classes))
                .isEqualTo("smoothing.transitions row 1 (Jogging) sums to 1.100000000, not 1 (tolerance 1e-06)");
        t[1] = new double[] {Double.NaN, 0.5, 0.5};
        assertThat(new SmoothingModel(HOP, MAX_GAP, ok.prior(), t).problem(classes))
                .startsWith("smoothing.transitions row 1 (Jogging) holds NaN");
        t[1] = new double[] {-0.1, 0.6, 0.5};
        assertThat(new SmoothingModel(HOP, MAX_GAP, ok.prior(), t).problem(classes))
                .startsWith("smoothing.transitions row 1 (Jogging) holds -0.1");
        assertThat(new SmoothingModel(HOP, MAX_GAP, new double[] {1, 0}, ok.transitions()).problem(classes))
                .startsWith("smoothing.prior must have one value per class (3)");
        assertThat(new SmoothingModel(HOP, 10, ok.prior(), ok.transitions()).problem(classes))
                .contains("maxGapMs (10) must be at least smoothing.hopMs (1000)");
        assertThatThrownBy(() -> new ActivitySmoother(new SmoothingModel(HOP, MAX_GAP, ok.prior(), t), 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static int count(int[] values, int v) {
        int n = 0;
        for (int x : values) {
            n += x == v ? 1 : 0;
        }
        return n;
    }
}
