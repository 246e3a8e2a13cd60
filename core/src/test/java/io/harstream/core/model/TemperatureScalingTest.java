package io.harstream.core.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TemperatureScalingTest {

    @Test
    void temperatureOneReturnsTheProbabilitiesUntouched() {
        float[] p = {0.7f, 0.2f, 0.1f};
        assertThat(TemperatureScaling.apply(p, 1)).isSameAs(p);
    }

    @Test
    void aHighTemperatureSoftensALowOneSharpensAndTheOrderStays() {
        float[] p = {0.7f, 0.2f, 0.1f};
        float[] soft = TemperatureScaling.apply(p, 2);
        float[] sharp = TemperatureScaling.apply(p, 0.5);
        // q_j ∝ p_j^(1/T)
        double z = Math.sqrt(0.7) + Math.sqrt(0.2) + Math.sqrt(0.1);
        assertThat((double) soft[0]).isCloseTo(Math.sqrt(0.7) / z, within(1e-6));
        assertThat(soft[0]).isLessThan(p[0]);
        assertThat(sharp[0]).isGreaterThan(p[0]);
        for (float[] q : new float[][] {soft, sharp}) {
            assertThat(q[0]).isGreaterThan(q[1]);
            assertThat(q[1]).isGreaterThan(q[2]);
            assertThat(q[0] + q[1] + q[2]).isCloseTo(1f, within(1e-6f));
        }
    }

    @Test
    void aZeroStaysZeroAndNothingUsableBecomesUniform() {
        float[] q = TemperatureScaling.apply(new float[] {0.5f, 0.5f, 0f}, 3);
        assertThat(q).containsExactly(0.5f, 0.5f, 0f);
        assertThat(TemperatureScaling.apply(new float[] {0f, 0f}, 2)).containsExactly(0.5f, 0.5f);
    }

    @Test
    void onlyFinitePositiveTemperaturesAreAccepted() {
        assertThat(TemperatureScaling.problem(0.3)).isNull();
        assertThat(TemperatureScaling.problem(0)).isNotNull();
        assertThat(TemperatureScaling.problem(-1)).isNotNull();
        assertThat(TemperatureScaling.problem(Double.NaN)).isNotNull();
        assertThat(TemperatureScaling.problem(Double.POSITIVE_INFINITY)).isNotNull();
    }
}
