package io.harstream.trainer.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReliabilityTest {

    @Test
    void binsTheTopProbabilityAndWeighsEachBinsGap() {
        float[][] p = {{0.9f, 0.1f}, {0.9f, 0.1f}, {0.5f, 0.5f}, {0.2f, 0.8f}};
        int[] labels = {0, 1, 0, 1};
        Reliability r = Reliability.of(p, labels);
        // 0.9 -> bin 13 (two windows, one right), 0.5 -> bin 7 (right: ties go to the first class), 0.8 -> bin 12
        assertThat(r.counts()[13]).isEqualTo(2);
        assertThat(r.counts()[7]).isEqualTo(1);
        assertThat(r.counts()[12]).isEqualTo(1);
        assertThat(r.binAccuracy()[13]).isEqualTo(0.5);
        assertThat(r.windows()).isEqualTo(4);
        // (2 · |0.5 − 0.9| + |1 − 0.5| + |1 − 0.8|) / 4
        assertThat(r.ece()).isCloseTo((2 * 0.4 + 0.5 + 0.2) / 4, within(1e-6));
        assertThat(r.expectedAccuracy()).isCloseTo((0.9 + 0.9 + 0.5 + 0.8) / 4, within(1e-6));
        assertThat(r.accuracy()).isEqualTo(0.75);
    }

    @Test
    void aTopProbabilityOfOneFallsInTheLastBin() {
        Reliability r = Reliability.of(new float[][] {{1f, 0f}}, new int[] {0});
        assertThat(r.counts()[Reliability.BINS - 1]).isEqualTo(1);
        assertThat(r.ece()).isZero();
        assertThat(Reliability.of(new float[0][], new int[0]).ece()).isZero();
    }
}
