package io.harstream.trainer;

import io.harstream.trainer.report.CalibrationFigures;
import io.harstream.trainer.report.Reliability;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CalibrationFitTest {

    /**
     * Labels drawn from {@code softmax(z)} but reported as {@code softmax(z · sharpness)}: an overconfident network
     * for sharpness above 1. The temperature that undoes it is the sharpness.
     */
    private static float[][] overconfident(int n, int k, double sharpness, int[] labels, long seed) {
        Random r = new Random(seed);
        float[][] p = new float[n][k];
        for (int i = 0; i < n; i++) {
            double[] z = new double[k];
            for (int j = 0; j < k; j++) {
                z[j] = r.nextGaussian() * 1.5;
            }
            double[] truth = softmax(z, 1);
            double u = r.nextDouble();
            int label = k - 1;
            for (int j = 0; j < k; j++) {
                u -= truth[j];
                if (u < 0) {
                    label = j;
                    break;
                }
            }
            labels[i] = label;
            double[] reported = softmax(z, sharpness);
            for (int j = 0; j < k; j++) {
                p[i][j] = (float) reported[j];
            }
        }
        return p;
    }

    private static double[] softmax(double[] z, double scale) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v * scale);
        }
        double[] e = new double[z.length];
        double sum = 0;
        for (int j = 0; j < z.length; j++) {
            e[j] = Math.exp(z[j] * scale - max);
            sum += e[j];
        }
        for (int j = 0; j < z.length; j++) {
            e[j] /= sum;
        }
        return e;
    }

    @Test
    void theFittedTemperatureUndoesOverconfidenceAndLowersTheCalibrationError() {
        int[] labels = new int[20_000];
        float[][] p = overconfident(labels.length, 5, 2.5, labels, 3);
        double t = CalibrationFit.temperature(p, labels);
        assertThat(t).isCloseTo(2.5, within(0.15));
        Reliability before = Reliability.of(p, labels);
        Reliability after = Reliability.of(CalibrationFit.scaled(p, t), labels);
        assertThat(before.ece()).isGreaterThan(0.1);
        assertThat(after.ece()).isLessThan(0.02);
        assertThat(after.expectedAccuracy()).isCloseTo(after.accuracy(), within(0.02));
        // the most probable class never changes
        assertThat(after.accuracy()).isEqualTo(before.accuracy());
    }

    @Test
    void anUnderconfidentNetworkGetsATemperatureBelowOne() {
        int[] labels = new int[20_000];
        float[][] p = overconfident(labels.length, 4, 0.5, labels, 5);
        assertThat(CalibrationFit.temperature(p, labels)).isCloseTo(0.5, within(0.05));
    }

    @Test
    void theLossAtTemperatureOneIsTheNetworksOwn() {
        float[][] p = {{0.7f, 0.2f, 0.1f}, {0.1f, 0.6f, 0.3f}};
        int[] labels = {0, 2};
        double[][] logs = new double[2][3];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                logs[i][j] = Math.log(p[i][j]);
            }
        }
        assertThat(CalibrationFit.nll(logs, labels, 1)).isCloseTo(-(Math.log(0.7f) + Math.log(0.3f)) / 2, within(1e-6));
    }

    @Test
    void theHindsightTemperatureIsNoWorseThanAnyFittedOneOnTheSamePeople() {
        int[] labels = new int[20_000];
        float[][] p = overconfident(labels.length, 5, 2.5, labels, 7);
        double t = CalibrationFit.temperature(p, labels);
        CalibrationFigures.Hindsight h = CalibrationFit.hindsight(p, labels, t);
        double fitted = Reliability.of(CalibrationFit.scaled(p, t), labels).ece();
        // fitted on other people: the overconfidence halved at most
        double elsewhere = Reliability.of(CalibrationFit.scaled(p, 1.25), labels).ece();
        assertThat(h.ece()).isLessThan(elsewhere);
        assertThat(h.ece()).isLessThanOrEqualTo(fitted).isLessThan(Reliability.of(p, labels).ece());
        assertThat(h.temperature()).isCloseTo(2.5, within(0.5));
        assertThat(h.ece()).isCloseTo(Reliability.of(CalibrationFit.scaled(p, h.temperature()), labels).ece(),
                within(1e-12));
    }
}
