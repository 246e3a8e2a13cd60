package io.harstream.simulator;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateCapTest {

    /** Sends {@code n} events that are all due at once through the cap; returns the send times. */
    static List<Long> sendAllDueAtZero(RateCap cap, int n) {
        List<Long> times = new ArrayList<>();
        long now = 0;
        for (int i = 0; i < n; i++) {
            now = Math.max(now, cap.earliest(0));
            cap.sent(now);
            times.add(now);
        }
        return times;
    }

    @Test
    void noCapSendsWhenDue() {
        RateCap cap = RateCap.none();
        assertThat(sendAllDueAtZero(cap, 1000)).containsOnly(0L);
        assertThat(RateCap.of(0).earliest(123)).isEqualTo(123);
    }

    @Test
    void capsTheRateOverASecond() {
        List<Long> times = sendAllDueAtZero(RateCap.of(1_000), 5_000);
        long inFirstSecond = times.stream().filter(t -> t < 1_000_000_000L).count();
        // 1000/s plus at most the 20 ms burst allowance
        assertThat(inFirstSecond).isBetween(1_000L, 1_021L);
        // in the long run exactly the cap: the 5000th event goes at about 5 s
        assertThat(times.get(4_999)).isBetween(4_970_000_000L, 5_000_000_000L);
    }

    @Test
    void neverHoldsAnEventBeforeItIsDue() {
        RateCap cap = RateCap.of(10);
        cap.sent(0);
        assertThat(cap.earliest(5_000_000_000L)).isEqualTo(5_000_000_000L);
        assertThat(cap.earliest(10_000_000L)).isEqualTo(80_000_000L); // 100 ms interval less the 20 ms allowance
    }

    @Test
    void aSenderThatOversleptCatchesUpOnlyByTheBurstAllowance() {
        RateCap cap = RateCap.of(1_000); // 1 ms interval
        cap.sent(0);
        long now = 1_000_000_000L; // a one-second stall
        int burst = 0;
        while (cap.earliest(0) <= now) {
            cap.sent(now);
            burst++;
        }
        assertThat(burst).isBetween(20, 21);
    }

    @Test
    void rejectsANegativeRate() {
        assertThatThrownBy(() -> RateCap.of(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
