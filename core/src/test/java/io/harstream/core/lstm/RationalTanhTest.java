package io.harstream.core.lstm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The approximation the LSTM kernels use for tanh (and, through it, sigmoid), against {@link Math#tanh}. */
class RationalTanhTest {

    @Test
    void isWithinThreeTenMillionthsOfTanhEverywhere() {
        double worst = 0;
        for (int k = -200_000; k <= 200_000; k++) {
            float x = k * 1e-4f; // -20 .. 20, past the clamp on both sides
            worst = Math.max(worst, Math.abs(RationalTanh.tanh(x) - Math.tanh(x)));
        }
        assertThat(worst).isLessThan(3e-7); // 2.6e-7 at worst, next to the clamp
    }

    @Test
    void isOddAndSaturatesAtOne() {
        for (float x : new float[] {0f, 1e-6f, 0.3f, 1f, 2.5f, 7.9f, 8f, 100f, Float.MAX_VALUE}) {
            assertThat(RationalTanh.tanh(-x)).isEqualTo(-RationalTanh.tanh(x));
        }
        assertThat(RationalTanh.tanh(0f)).isZero();
        assertThat(RationalTanh.tanh(RationalTanh.CLAMP)).isCloseTo(1f, org.assertj.core.data.Offset.offset(3e-7f));
        assertThat(RationalTanh.tanh(1e4f)).isEqualTo(RationalTanh.tanh(RationalTanh.CLAMP));
    }

    @Test
    void sigmoidFromItIsWithinTwoTenMillionthsOfTheLogistic() {
        double worst = 0;
        for (int k = -300_000; k <= 300_000; k++) {
            float x = k * 1e-4f;
            float s = ScalarLstmCell.sigmoid(x); // the kernels' sigmoid
            worst = Math.max(worst, Math.abs(s - 1 / (1 + Math.exp(-x))));
        }
        assertThat(worst).isLessThan(2e-7);
    }
}
