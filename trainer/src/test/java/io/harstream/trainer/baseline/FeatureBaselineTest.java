package io.harstream.trainer.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.harstream.core.window.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeatureBaselineTest {

    /** Deliberately not alphabetical, and "Unused" never has windows: indices must map back correctly. */
    private static final List<String> CLASSES = List.of("Walking", "Unused", "Standing", "Lying", "Jogging");

    private static final int LENGTH = 100; // 5 s at 20 Hz
    private static final float G = 9.81f;

    /** A synthetic set: windows in round-robin over the used classes, labels alongside. */
    private record Data(List<Window> windows, int[] labels) {
    }

    private static Data data(int perClass, long seed) {
        int[] used = {0, 2, 3, 4};
        Random r = new Random(seed);
        List<Window> windows = new ArrayList<>();
        int[] labels = new int[perClass * used.length];
        for (int i = 0; i < labels.length; i++) {
            int label = used[i % used.length];
            labels[i] = label;
            windows.add(window(label, r));
        }
        return new Data(windows, labels);
    }

    /**
     * Standing: gravity on y, still. Lying: gravity on z, still. Walking: gravity on y, 2 Hz
     * bounce of 3 m/s^2. Jogging: gravity on y, 3 Hz bounce of 8 m/s^2. All with noise and a random
     * tilt, phase and cadence jitter, so no single sample identifies the class.
     */
    private static Window window(int label, Random r) {
        float[] x = new float[LENGTH];
        float[] y = new float[LENGTH];
        float[] z = new float[LENGTH];
        double tilt = r.nextGaussian() * 0.15;
        double phase = r.nextDouble() * 2 * Math.PI;
        double amplitude;
        double hz;
        switch (CLASSES.get(label)) {
            case "Walking" -> { amplitude = 3; hz = 2; }
            case "Jogging" -> { amplitude = 8; hz = 3; }
            default -> { amplitude = 0; hz = 0; }
        }
        amplitude *= 1 + 0.2 * r.nextGaussian();
        hz *= 1 + 0.1 * r.nextGaussian();
        boolean lying = CLASSES.get(label).equals("Lying");
        for (int i = 0; i < LENGTH; i++) {
            double bounce = amplitude * Math.sin(2 * Math.PI * hz * i / 20.0 + phase);
            double up = G + bounce;
            double side = G * Math.sin(tilt) + 0.3 * bounce;
            x[i] = (float) (side + 0.5 * r.nextGaussian());
            if (lying) {
                y[i] = (float) (0.5 * r.nextGaussian());
                z[i] = (float) (up * Math.cos(tilt) + 0.5 * r.nextGaussian());
            } else {
                y[i] = (float) (up * Math.cos(tilt) + 0.5 * r.nextGaussian());
                z[i] = (float) (0.5 * r.nextGaussian());
            }
        }
        return new Window(0, LENGTH * 50L, x, y, z, label);
    }

    private static double accuracy(int[] predicted, int[] actual) {
        int correct = 0;
        for (int i = 0; i < actual.length; i++) {
            if (predicted[i] == actual[i]) {
                correct++;
            }
        }
        return (double) correct / actual.length;
    }

    @Test
    void separatesClearlyDifferentActivitiesOnHeldOutWindows() {
        Data train = data(50, 1);
        Data test = data(25, 2);
        FeatureBaseline baseline = FeatureBaseline.train(train.windows(), train.labels(), CLASSES, new FeatureBaseline.Settings(30, 42));

        int[] predicted = baseline.predict(test.windows());

        assertThat(predicted).hasSize(test.labels().length);
        // constant or random predictions would score about 0.25 on four balanced classes
        assertThat(accuracy(predicted, test.labels())).isGreaterThan(0.9);
        // every used class is predicted, the class without training windows never is
        assertThat(Arrays.stream(predicted).distinct().sorted().toArray()).containsExactly(0, 2, 3, 4);
        assertThat(baseline.description())
                .isEqualTo("random forest, 30 CART trees (depth <= 6), 63 per-window statistics (Tribuo 4.3.2)");
    }

    @Test
    void sameSeedSamePredictions() {
        Data train = data(30, 3);
        Data test = data(20, 4);
        FeatureBaseline.Settings settings = new FeatureBaseline.Settings(10, 7);
        int[] first = FeatureBaseline.train(train.windows(), train.labels(), CLASSES, settings).predict(test.windows());
        int[] second = FeatureBaseline.train(train.windows(), train.labels(), CLASSES, settings).predict(test.windows());
        assertThat(second).containsExactly(first);
    }

    @Test
    void singleClassTrainingPredictsThatClass() {
        Data train = data(10, 5);
        int[] allStanding = new int[train.labels().length];
        Arrays.fill(allStanding, 2);
        FeatureBaseline baseline = FeatureBaseline.train(train.windows(), allStanding, CLASSES, new FeatureBaseline.Settings(3, 1));
        assertThat(baseline.predict(data(5, 6).windows())).containsOnly(2);
        assertThat(baseline.predict(List.of())).isEmpty();
    }

    @Test
    void defaultsAreOneHundredTrees() {
        assertThat(FeatureBaseline.Settings.defaults(9)).isEqualTo(new FeatureBaseline.Settings(100, 9));
    }

    @Test
    void rejectsBadInput() {
        Data d = data(5, 8);
        FeatureBaseline.Settings s = new FeatureBaseline.Settings(2, 1);
        assertThatThrownBy(() -> FeatureBaseline.train(List.of(), new int[0], CLASSES, s))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no training windows");
        assertThatThrownBy(() -> FeatureBaseline.train(d.windows(), new int[3], CLASSES, s))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("20 windows but 3 labels");
        int[] outOfRange = d.labels().clone();
        outOfRange[4] = 5;
        assertThatThrownBy(() -> FeatureBaseline.train(d.windows(), outOfRange, CLASSES, s))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label 5 of window 4");
        int[] unlabelled = d.labels().clone();
        unlabelled[0] = Window.UNLABELLED;
        assertThatThrownBy(() -> FeatureBaseline.train(d.windows(), unlabelled, CLASSES, s))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label -1 of window 0");
        assertThatThrownBy(() -> FeatureBaseline.train(d.windows(), d.labels(), List.of("A", "A", "B", "C", "D"), s))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate class names");
        assertThatThrownBy(() -> new FeatureBaseline.Settings(0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trees must be >= 1");

        List<Window> withNaN = new ArrayList<>(d.windows());
        float[] x = withNaN.get(3).x().clone();
        x[10] = Float.NaN;
        Window bad = withNaN.get(3);
        withNaN.set(3, new Window(bad.startTs(), bad.endTs(), x, bad.y(), bad.z(), bad.label()));
        assertThatThrownBy(() -> FeatureBaseline.train(withNaN, d.labels(), CLASSES, s))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window 3 has a non-finite");

        FeatureBaseline baseline = FeatureBaseline.train(d.windows(), d.labels(), CLASSES, s);
        assertThatThrownBy(() -> baseline.predict(List.of(new Window(0, 1, new float[0], new float[0], new float[0], 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window 0: window has no samples");
    }
}
