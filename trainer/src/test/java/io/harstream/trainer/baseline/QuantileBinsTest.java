package io.harstream.trainer.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QuantileBinsTest {

    private static double[][] column(double... values) {
        double[][] rows = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            rows[i] = new double[] {values[i]};
        }
        return rows;
    }

    @Test
    void equalSizedBinsOnDistinctValues() {
        double[] values = new double[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        QuantileBins bins = QuantileBins.fit(column(values), 10);
        int[] perBin = new int[10];
        for (double v : values) {
            perBin[(int) bins.apply(new double[] {v})[0]]++;
        }
        assertThat(perBin).containsOnly(100);
        // upper edges are inclusive: 99 is the last value of bin 0
        assertThat(bins.apply(new double[] {99})[0]).isZero();
        assertThat(bins.apply(new double[] {99.5})[0]).isEqualTo(1);
        // outside the training range: the first and the last bin
        assertThat(bins.apply(new double[] {-5})[0]).isZero();
        assertThat(bins.apply(new double[] {1e9})[0]).isEqualTo(9);
    }

    @Test
    void fewDistinctValuesGiveFewBins() {
        QuantileBins bins = QuantileBins.fit(column(1, 1, 1, 2, 2, 2, 2), 64);
        assertThat(bins.apply(new double[] {1})[0]).isZero();
        assertThat(bins.apply(new double[] {1.5})[0]).isEqualTo(1);
        assertThat(bins.apply(new double[] {2})[0]).isEqualTo(1);
        assertThat(bins.apply(new double[] {3})[0]).isEqualTo(1);
    }

    @Test
    void monotoneAndBoundedPerFeature() {
        Random r = new Random(11);
        double[][] rows = new double[500][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {r.nextGaussian(), Math.exp(3 * r.nextGaussian()), r.nextInt(3)};
        }
        QuantileBins bins = QuantileBins.fit(rows, 16);
        double[] xs = new double[2000];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = 8 * r.nextGaussian();
        }
        Arrays.sort(xs);
        for (int f = 0; f < 3; f++) {
            double previous = -1;
            for (double x : xs) {
                double[] row = {0, 0, 0};
                row[f] = x;
                double bin = bins.apply(row)[f];
                assertThat(bin).isGreaterThanOrEqualTo(previous).isBetween(0.0, 15.0);
                previous = bin;
            }
        }
        assertThat(bins.apply(new double[] {0, 0, 5})[2]).as("three distinct values, three bins").isEqualTo(2);
    }
}
