package io.harstream.core.window;

import io.harstream.core.data.Recording;
import io.harstream.core.data.Sample;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmenterTest {

    private static final List<String> CLASSES = List.of("Walking", "Jogging", "Sitting");

    /** n samples at 50 ms from t0, value = index, all with one activity. */
    private static List<Sample> series(long t0, int n, String activity) {
        List<Sample> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            s.add(new Sample(t0 + 50L * i, i, -i, 0.5f * i, activity));
        }
        return s;
    }

    @Test
    void windowsEndEveryHopSamplesOnceFull() {
        Segmenter seg = new Segmenter(new WindowSpec(10, 3, 1000), CLASSES);
        List<Window> w = seg.cut(new Recording("u", series(0, 25, "Walking")));
        // windows start at 0, 3, 6, 9, 12, 15 (15 + 10 = 25 samples)
        assertThat(w).extracting(Window::startTs).containsExactly(0L, 150L, 300L, 450L, 600L, 750L);
        assertThat(w.get(1).x()).containsExactly(3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(w.get(1).y()[0]).isEqualTo(-3f);
        assertThat(w.get(1).endTs()).isEqualTo(150L + 9 * 50);
        assertThat(w).allMatch(x -> x.label() == 0 && x.length() == 10);
    }

    @Test
    void hopLongerThanLengthSkipsSamplesBetweenWindows() {
        Segmenter seg = new Segmenter(new WindowSpec(4, 10, 1000), CLASSES);
        List<Window> w = seg.cut(new Recording("u", series(0, 25, "Walking")));
        assertThat(w).extracting(x -> x.x()[0]).containsExactly(0f, 10f, 20f);
    }

    @Test
    void seriesShorterThanAWindowGivesNothing() {
        Segmenter seg = new Segmenter(new WindowSpec(10, 1, 1000), CLASSES);
        assertThat(seg.cut(new Recording("u", series(0, 9, "Walking")))).isEmpty();
        assertThat(seg.cut(new Recording("u", series(0, 10, "Walking")))).hasSize(1);
    }

    @Test
    void gapRestartsTheSeries() {
        Segmenter seg = new Segmenter(new WindowSpec(5, 5, 1000), CLASSES);
        List<Sample> s = new ArrayList<>(series(0, 7, "Walking"));
        s.addAll(series(300 + 1001, 6, "Walking")); // 1001 ms after the last sample at 300
        List<Window> w = seg.cut(new Recording("u", s));
        assertThat(w).extracting(Window::startTs).containsExactly(0L, 1301L);
        assertThat(seg.splitSeries(new Recording("u", s))).extracting(Recording::size).containsExactly(7, 6);
    }

    @Test
    void gapOfExactlyTheMaximumDoesNotBreak() {
        Segmenter seg = new Segmenter(new WindowSpec(5, 5, 1000), CLASSES);
        List<Sample> s = new ArrayList<>(series(0, 3, "Walking"));
        s.addAll(series(100 + 1000, 2, "Walking"));
        assertThat(seg.cut(new Recording("u", s))).hasSize(1);
    }

    @Test
    void stepBackRestartsAndIsReported() {
        Segmenter seg = new Segmenter(new WindowSpec(3, 3, 1000), CLASSES);
        SeriesBuffer b = seg.newBuffer();
        assertThat(seg.offer(b, new Sample(1000, 1, 1, 1, "Walking")).outcome()).isEqualTo(SampleOutcome.APPENDED);
        assertThat(seg.offer(b, new Sample(1050, 2, 2, 2, "Walking")).outcome()).isEqualTo(SampleOutcome.APPENDED);
        assertThat(seg.offer(b, new Sample(900, 3, 3, 3, "Walking")).outcome())
                .isEqualTo(SampleOutcome.RESTARTED_AFTER_STEP_BACK);
        assertThat(b.seen()).isEqualTo(1);
        // same timestamp, different values: a step back too (the clock did not advance)
        assertThat(seg.offer(b, new Sample(900, 4, 4, 4, "Walking")).outcome())
                .isEqualTo(SampleOutcome.RESTARTED_AFTER_STEP_BACK);
        assertThat(seg.offer(b, new Sample(5000, 4, 4, 4, "Walking")).outcome())
                .isEqualTo(SampleOutcome.RESTARTED_AFTER_GAP);
    }

    @Test
    void exactDuplicateIsIgnoredAndProducesNoSecondWindow() {
        Segmenter seg = new Segmenter(new WindowSpec(3, 1, 1000), CLASSES);
        SeriesBuffer b = seg.newBuffer();
        seg.offer(b, new Sample(0, 1, 1, 1, "Walking"));
        seg.offer(b, new Sample(50, 2, 2, 2, "Walking"));
        Segmenter.Step third = seg.offer(b, new Sample(100, 3, 3, 3, "Walking"));
        assertThat(third.window()).isNotNull();
        Segmenter.Step dup = seg.offer(b, new Sample(100, 3, 3, 3, "Walking"));
        assertThat(dup.outcome()).isEqualTo(SampleOutcome.DUPLICATE);
        assertThat(dup.window()).isNull();
        assertThat(b.seen()).isEqualTo(3);
    }

    @Test
    void labelIsTheMajorityWithTiesToTheLowerClass() {
        Segmenter seg = new Segmenter(new WindowSpec(5, 5, 1000), CLASSES);
        List<Sample> s = new ArrayList<>();
        String[] acts = {"Sitting", "Jogging", "Sitting", "Jogging", "Sitting"};
        for (int i = 0; i < 5; i++) {
            s.add(new Sample(i * 50L, 0, 0, 0, acts[i]));
        }
        assertThat(seg.cut(new Recording("u", s)).get(0).label()).isEqualTo(2);

        List<Sample> tie = new ArrayList<>();
        String[] tieActs = {"Sitting", "Sitting", "Jogging", "Jogging", null, null};
        for (int i = 0; i < 6; i++) {
            tie.add(new Sample(i * 50L, 0, 0, i, tieActs[i]));
        }
        Segmenter six = new Segmenter(new WindowSpec(6, 6, 1000), CLASSES);
        assertThat(six.cut(new Recording("u", tie)).get(0).label()).isEqualTo(1);
    }

    @Test
    void unknownOrMissingLabelsLeaveTheWindowUnlabelled() {
        Segmenter seg = new Segmenter(new WindowSpec(3, 3, 1000), CLASSES);
        List<Sample> s = List.of(new Sample(0, 0, 0, 0, null), new Sample(50, 0, 0, 1, "Dancing"),
                new Sample(100, 0, 0, 2, null));
        Window w = seg.cut(new Recording("u", s)).get(0);
        assertThat(w.labelled()).isFalse();
        assertThat(w.label()).isEqualTo(Window.UNLABELLED);
    }

    @Test
    void aStairsModelReadsV1UpAndDownstairsAsStairs() {
        Segmenter seg = new Segmenter(new WindowSpec(3, 3, 1000),
                List.of("Walking", "Jogging", "Stairs", "Sitting", "Standing"));
        List<Sample> s = List.of(new Sample(0, 0, 0, 0, "Upstairs"), new Sample(50, 0, 0, 1, "Downstairs"),
                new Sample(100, 0, 0, 2, "Walking"));
        assertThat(seg.cut(new Recording("u", s)).get(0).label()).isEqualTo(2);
        assertThat(seg.knows("Upstairs")).isTrue();
        assertThat(seg.knows("Levitating")).isFalse();
    }

    @Test
    void aV1ModelReadsA2019StairsLabelAsNoLabel() {
        Segmenter seg = new Segmenter(new WindowSpec(3, 3, 1000), io.harstream.core.data.Activities.V1_CLASSES);
        List<Sample> s = List.of(new Sample(0, 0, 0, 0, "Stairs"), new Sample(50, 0, 0, 1, "Stairs"),
                new Sample(100, 0, 0, 2, "Walking"));
        Window w = seg.cut(new Recording("u", s)).get(0);
        assertThat(w.label()).as("majority of the labelled samples").isEqualTo(0);
        assertThat(seg.labelOf("Stairs")).isEqualTo(Window.UNLABELLED);
        assertThat(seg.knows("Stairs")).as("known, so not a dead letter").isTrue();
        assertThat(seg.knows("Upstairs")).isTrue();
    }

    @Test
    void incrementalOfferingEqualsCuttingAWholeRecording() {
        Segmenter seg = new Segmenter(new WindowSpec(20, 7, 1000), CLASSES);
        List<Sample> s = new ArrayList<>(series(0, 60, "Walking"));
        s.addAll(series(10_000, 45, "Jogging"));
        s.addAll(series(5_000, 30, "Sitting")); // steps back
        Recording r = new Recording("u", s);
        List<Window> offline = seg.cut(r);

        // online: the buffer is serialized and restored between every sample, as a state store would
        byte[] state = seg.newBuffer().toBytes();
        List<Window> online = new ArrayList<>();
        for (Sample x : s) {
            SeriesBuffer b = SeriesBuffer.fromBytes(state);
            Window w = seg.offer(b, x).window();
            if (w != null) {
                online.add(w);
            }
            state = b.toBytes();
        }
        assertThat(online).hasSameSizeAs(offline);
        for (int i = 0; i < offline.size(); i++) {
            assertThat(online.get(i).startTs()).isEqualTo(offline.get(i).startTs());
            assertThat(online.get(i).x()).containsExactly(offline.get(i).x());
            assertThat(online.get(i).z()).containsExactly(offline.get(i).z());
            assertThat(online.get(i).label()).isEqualTo(offline.get(i).label());
        }
        assertThat(offline).extracting(Window::label).contains(0, 1, 2);
    }

    @Test
    void bufferOfTheWrongSizeIsRefused() {
        Segmenter seg = new Segmenter(new WindowSpec(5, 1, 1000), CLASSES);
        assertThatThrownBy(() -> seg.offer(new SeriesBuffer(4), new Sample(0, 0, 0, 0, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5");
    }

    @Test
    void invalidSpecsAreRefused() {
        assertThatThrownBy(() -> new WindowSpec(0, 1, 1)).hasMessageContaining("length");
        assertThatThrownBy(() -> new WindowSpec(1, 0, 1)).hasMessageContaining("hop");
        assertThatThrownBy(() -> new WindowSpec(1, 1, 0)).hasMessageContaining("gap");
    }
}
