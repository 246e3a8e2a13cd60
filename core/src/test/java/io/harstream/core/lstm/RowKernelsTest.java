package io.harstream.core.lstm;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The Vector API kernels compute what the plain loops compute, for every length (full blocks and tails). */
class RowKernelsTest {

    private static final int[] LENGTHS = {1, 5, 16, 20, 64, 100, 128, 256, 300};

    @Test
    void theVectorApiIsUsedWhenTheModuleIsPresent() {
        // The Maven test configuration passes --add-modules jdk.incubator.vector, as the launcher does.
        assertThat(VectorSupport.available()).isTrue();
        assertThat(RowKernels.best().description()).startsWith("Vector API");
    }

    @Test
    void combinationsEqualThePlainLoops() {
        Random random = new Random(1);
        for (int len : LENGTHS) {
            for (int count : new int[] {1, 2, 7, 64}) {
                float[][] rows = matrix(random, count, len);
                float[] c = vector(random, count);
                float[] start = vector(random, len);
                float[] expected = start.clone();
                float[] actual = start.clone();
                RowKernels.plainJava().addCombination(expected, len, rows, c, count);
                RowKernels.best().addCombination(actual, len, rows, c, count);
                assertClose(actual, expected, "len " + len + ", count " + count);
            }
        }
    }

    /**
     * The cell, full vectors and tails, with and without a previous cell state: the same bits as the plain loops
     * (both evaluate {@link RationalTanh} in the same operations and order).
     */
    @Test
    void cellsEqualThePlainLoopsBitForBit() {
        Random random = new Random(3);
        for (int n : LENGTHS) {
            for (boolean first : new boolean[] {true, false}) {
                float[] z = vector(random, 4 * n);
                for (int k = 0; k < z.length; k++) {
                    z[k] *= 8; // well into saturation and past the clamp
                }
                float[] cPrev = first ? null : vector(random, n);
                float[][] expected = {z.clone(), new float[n], new float[n], new float[n]};
                float[][] actual = {z.clone(), new float[n], new float[n], new float[n]};
                RowKernels.plainJava().cell(expected[0], n, cPrev, expected[1], expected[2], expected[3]);
                RowKernels.best().cell(actual[0], n, cPrev, actual[1], actual[2], actual[3]);
                assertThat(actual).as("n %d, first step %s", n, first).isDeepEqualTo(expected);
            }
        }
    }

    @Test
    void productsEqualThePlainLoops() {
        Random random = new Random(4);
        for (int len : LENGTHS) {
            for (int count : new int[] {1, 4, 64}) {
                float[][] rows = matrix(random, count, len);
                float[][] x = matrix(random, 11, count);
                float[][] expected = matrix(new Random(len), 11, len);
                float[][] actual = matrix(new Random(len), 11, len);
                RowKernels.plainJava().addProducts(expected, len, x, rows, count, 1, 11);
                RowKernels.best().addProducts(actual, len, x, rows, count, 1, 11);
                for (int t = 0; t < 11; t++) {
                    assertClose(actual[t], expected[t], "len " + len + ", count " + count + ", step " + t);
                }
            }
        }
    }

    @Test
    void outerProductsEqualThePlainLoops() {
        Random random = new Random(2);
        for (int len : LENGTHS) {
            int count = 5;
            float[][] a = matrix(random, 12, count);
            float[][] b = matrix(random, 12, len);
            for (int shift : new int[] {0, -1}) {
                float[][] expected = matrix(new Random(len), count, len);
                float[][] actual = matrix(new Random(len), count, len);
                RowKernels.plainJava().addOuterProducts(expected, count, len, a, shift, b, 1, 12);
                RowKernels.best().addOuterProducts(actual, count, len, a, shift, b, 1, 12);
                for (int k = 0; k < count; k++) {
                    assertClose(actual[k], expected[k], "len " + len + ", shift " + shift + ", row " + k);
                }
            }
        }
    }

    /** Only the first {@code len} entries of a row are touched. */
    @Test
    void entriesPastTheLengthStayUntouched() {
        float[][] rows = matrix(new Random(3), 4, 64);
        float[] y = new float[64];
        RowKernels.best().addCombination(y, 20, rows, new float[] {1, 1, 1, 1}, 4);
        for (int j = 20; j < 64; j++) {
            assertThat(y[j]).isZero();
        }
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        for (int j = 0; j < expected.length; j++) {
            assertThat(actual[j]).as(what + " entry " + j)
                    .isCloseTo(expected[j], org.assertj.core.data.Offset.offset(1e-4f * (1 + Math.abs(expected[j]))));
        }
    }

    private static float[][] matrix(Random random, int rows, int cols) {
        float[][] m = new float[rows][];
        for (int r = 0; r < rows; r++) {
            m[r] = vector(random, cols);
        }
        return m;
    }

    private static float[] vector(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
