package io.harstream.simulator;

import io.harstream.core.event.InvalidEventException;
import io.harstream.core.event.RejectReason;
import io.harstream.core.event.SensorEvent;
import io.harstream.core.event.SensorEventCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MalformedMixTest {

    static final SensorEvent GOOD = new SensorEvent("1600-s1", 1_764_000_000_050L, 0.5f, 9.75f, -1.25f, "Walking");

    /**
     * What the stream-app does with a record before windowing: decode (validation), then the key and
     * activity checks the contract adds. Empty when the record would be accepted.
     */
    static RejectReason rejection(String key, byte[] value) {
        try {
            SensorEvent e = SensorEventCodec.decode(value);
            if (key == null || !key.equals(e.device())) {
                return RejectReason.KEY_MISMATCH;
            }
            if (e.activity() != null && !TestSets.ACTIVITIES.contains(e.activity())) {
                return RejectReason.UNKNOWN_ACTIVITY;
            }
            return null;
        } catch (InvalidEventException ex) {
            return ex.reason();
        }
    }

    @Test
    void theGoodEventItselfIsAccepted() {
        OutgoingRecord good = OutgoingRecord.of(GOOD);
        assertThat(good.valid()).isTrue();
        assertThat(rejection(good.key(), good.value())).isNull();
    }

    @ParameterizedTest
    @EnumSource(RejectReason.class)
    void everyKindIsRejectedForItsIntendedReason(RejectReason reason) {
        OutgoingRecord bad = MalformedMix.build(reason, GOOD);
        assertThat(bad.rejectAs()).isEqualTo(reason);
        assertThat(rejection(bad.key(), bad.value())).as(new String(bad.value())).isEqualTo(reason);
    }

    @ParameterizedTest
    @EnumSource(RejectReason.class)
    void everyKindIsKeyedByTheGoodEventsDevice(RejectReason reason) {
        // same partition as the device's own events, right after the good one
        assertThat(MalformedMix.build(reason, GOOD).key()).isEqualTo(GOOD.device());
    }

    /** Even a consumer that skipped the key and activity checks could not disturb a real device's series with these. */
    @Test
    void decodableKindsCannotDisturbARealSeries() throws InvalidEventException {
        SensorEvent unknownActivity = SensorEventCodec.decode(MalformedMix.build(RejectReason.UNKNOWN_ACTIVITY, GOOD).value());
        assertThat(List.of(unknownActivity.device(), unknownActivity.ts(), unknownActivity.x(), unknownActivity.y(),
                unknownActivity.z())).as("an exact duplicate of the good sample, which the segmenter ignores")
                .isEqualTo(List.of(GOOD.device(), GOOD.ts(), GOOD.x(), GOOD.y(), GOOD.z()));

        SensorEvent impostor = SensorEventCodec.decode(MalformedMix.build(RejectReason.KEY_MISMATCH, GOOD).value());
        assertThat(impostor.device()).as("a device id no device has").isEqualTo("1600-s1-impostor");
        assertThat(List.of(impostor.ts(), impostor.x(), impostor.y(), impostor.z()))
                .as("under the key it is the good sample again").isEqualTo(List.of(GOOD.ts(), GOOD.x(), GOOD.y(), GOOD.z()));
    }

    @Test
    void makesUpTheAskedFractionCyclingThroughEveryKind() {
        MalformedMix mix = new MalformedMix(0.2);
        List<OutgoingRecord> all = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            all.add(OutgoingRecord.of(GOOD));
            all.addAll(mix.after(GOOD));
        }
        Map<RejectReason, Integer> byKind = new EnumMap<>(RejectReason.class);
        all.stream().filter(r -> !r.valid()).forEach(r -> byKind.merge(r.rejectAs(), 1, Integer::sum));
        int bad = byKind.values().stream().mapToInt(Integer::intValue).sum();

        assertThat(bad).isBetween(999, 1_000); // 1000 bad in 5000 records
        assertThat(byKind).containsOnlyKeys(RejectReason.values());
        assertThat(byKind.values()).allSatisfy(n -> assertThat(n).isBetween(124, 125));
        // bad events follow good ones one at a time at this fraction: never two in a row
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).valid() || all.get(i - 1).valid()).isTrue();
        }
    }

    @Test
    void zeroMeansNone() {
        MalformedMix mix = new MalformedMix(0);
        for (int i = 0; i < 10_000; i++) {
            assertThat(mix.after(GOOD)).isEmpty();
        }
    }

    @Test
    void largeFractionsSendSeveralBadEventsPerGoodOne() {
        MalformedMix mix = new MalformedMix(0.75); // three bad per good
        assertThat(mix.after(GOOD)).extracting(OutgoingRecord::rejectAs)
                .containsExactly(RejectReason.MALFORMED_JSON, RejectReason.MISSING_FIELD, RejectReason.WRONG_TYPE);
    }

    @Test
    void rejectsFractionsOutsideZeroToOne() {
        assertThatThrownBy(() -> new MalformedMix(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MalformedMix(-0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MalformedMix(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
