package io.harstream.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ResamplerTest {

    private static final long MS = 1_000_000L;
    private static final long NO_GAP_LIMIT = Long.MAX_VALUE;

    @Test
    void medianIntervalIgnoresStepsBackAndDuplicates() {
        assertThat(Resampler.medianInterval(new long[]{0, 10, 20, 60}, 4)).isEqualTo(10);
        // Positive steps 10, 10, 30, 30 -> median of an even count is the midpoint.
        assertThat(Resampler.medianInterval(new long[]{0, 10, 20, 50, 50, 5, 35}, 7)).isEqualTo(20);
        assertThat(Resampler.medianInterval(new long[]{7}, 1)).isZero();
        assertThat(Resampler.medianInterval(new long[]{7, 7, 3}, 3)).isZero();
        // Only the first n entries count.
        assertThat(Resampler.medianInterval(new long[]{0, 10, 1000, 5000}, 2)).isEqualTo(10);
    }

    @Test
    void downsamplesA50HzRampExactlyOntoA50MsGrid() {
        int n = 501; // 10 s at 20 ms
        long start = 252_207_666_810_782L;
        long[] t = new long[n];
        float[] ramp = new float[n];
        float[] constant = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = start + i * 20 * MS;
            ramp[i] = -5f + 0.01f * i;
            constant[i] = 9.81f;
        }

        Resampler.Resampled r = Resampler.resample(t, new float[][]{ramp, constant}, n, 50 * MS, NO_GAP_LIMIT);

        assertThat(r.size()).isEqualTo(201); // 10 s / 50 ms, both ends included
        for (int k = 0; k < r.size(); k++) {
            assertThat(r.times()[k]).isEqualTo(start + k * 50 * MS);
            // The ramp is linear in time, so interpolation must reproduce it: 2.5 input steps per output step.
            assertThat(r.channels()[0][k]).isCloseTo(-5f + 0.01f * 2.5f * k, within(1e-5f));
            assertThat(r.channels()[1][k]).isEqualTo(9.81f);
        }
    }

    @Test
    void upsamplesByInterpolatingBetweenNeighbours() {
        long[] t = {0, 100, 200};
        float[] v = {0f, 10f, 30f};

        Resampler.Resampled r = Resampler.resample(t, new float[][]{v}, 3, 25, NO_GAP_LIMIT);

        assertThat(r.times()).containsExactly(0, 25, 50, 75, 100, 125, 150, 175, 200);
        assertThat(r.channels()[0]).containsExactly(0f, 2.5f, 5f, 7.5f, 10f, 15f, 20f, 25f, 30f);
    }

    @Test
    void gridStartsAtTheFirstTimeAndNeverRunsPastTheLast() {
        long[] t = {1000, 1039, 1081, 1119};
        float[] v = {1f, 2f, 3f, 4f};

        Resampler.Resampled r = Resampler.resample(t, new float[][]{v}, 4, 50, NO_GAP_LIMIT);

        assertThat(r.times()).containsExactly(1000, 1050, 1100);
        assertThat(r.channels()[0][0]).isEqualTo(1f);
    }

    @Test
    void aStepBackStartsANewGridInsteadOfInterpolatingAcrossIt() {
        long[] t = {1000, 1100, 1200, 500, 600};
        float[] v = {0f, 1f, 2f, 10f, 11f};

        Resampler.Resampled r = Resampler.resample(t, new float[][]{v}, 5, 50, NO_GAP_LIMIT);

        assertThat(r.times()).containsExactly(1000, 1050, 1100, 1150, 1200, 500, 550, 600);
        assertThat(r.channels()[0]).containsExactly(0f, 0.5f, 1f, 1.5f, 2f, 10f, 10.5f, 11f);
    }

    @Test
    void aGapLongerThanTheLimitIsNotFilledIn() {
        long[] t = {0, 100, 5000, 5100};
        float[] v = {0f, 1f, 50f, 51f};

        Resampler.Resampled r = Resampler.resample(t, new float[][]{v}, 4, 50, 1000);

        assertThat(r.times()).containsExactly(0, 50, 100, 5000, 5050, 5100);
        assertThat(r.channels()[0]).containsExactly(0f, 0.5f, 1f, 50f, 50.5f, 51f);
    }

    @Test
    void aSinglePointStaysAsItIs() {
        Resampler.Resampled r = Resampler.resample(new long[]{42, 0}, new float[][]{{3f, 9f}}, 1, 50, NO_GAP_LIMIT);

        assertThat(r.times()).containsExactly(42);
        assertThat(r.channels()[0]).containsExactly(3f);
    }

    @Test
    void nothingInNothingOut() {
        Resampler.Resampled r = Resampler.resample(new long[0], new float[][]{new float[0]}, 0, 50, NO_GAP_LIMIT);

        assertThat(r.size()).isZero();
    }

    @Test
    void rejectsNonPositivePeriods() {
        assertThatThrownBy(() -> Resampler.resample(new long[]{0}, new float[][]{{0f}}, 1, 0, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
