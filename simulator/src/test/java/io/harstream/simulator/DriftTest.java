package io.harstream.simulator;

import io.harstream.core.data.Sample;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** {@code --drift}: what each kind does to the recordings, and the one-line refusals of bad values. */
class DriftTest {

    private static final long GAP = 1_000;

    /** One device: 40 samples of Walking, 40 of Sitting, 40 of Jogging at 20 Hz, one series. */
    private static TestSet threeActivities() {
        List<Sample> samples = new ArrayList<>();
        String[] activities = {"Walking", "Sitting", "Jogging"};
        for (int i = 0; i < 120; i++) {
            samples.add(new Sample(TestSets.T0 + 50L * i, 1 + i * 0.01f, 9.5f, -2 + (float) Math.sin(i),
                    activities[i / 40]));
        }
        return TestSets.of(List.of(new DeviceSeries("1600", "1600", samples)), GAP);
    }

    private static Drift parse(String... specs) {
        return Drift.parse(List.of(specs));
    }

    @Test
    void noDriftIsTheTestSetItself() {
        TestSet set = threeActivities();
        assertThat(Drift.parse(List.of())).isEqualTo(Drift.NONE);
        assertThat(Drift.NONE.apply(set)).isSameAs(set);
    }

    @Test
    void rotateTurnsEveryPhoneAboutItsScreenNormal() {
        TestSet set = threeActivities();
        List<Sample> turned = parse("rotate=90").apply(set).devices().get(0).samples();
        for (int i = 0; i < set.sampleCount(); i++) {
            Sample s = set.devices().get(0).samples().get(i);
            // 90 degrees about z: (x, y) -> (-y, x); |a| and labels kept
            assertThat(turned.get(i).x()).isCloseTo(-s.y(), within(1e-5f));
            assertThat(turned.get(i).y()).isCloseTo(s.x(), within(1e-5f));
            assertThat(turned.get(i).z()).isEqualTo(s.z());
            assertThat(turned.get(i).activity()).isEqualTo(s.activity());
            assertThat(turned.get(i).timestampMs()).isEqualTo(s.timestampMs());
        }
    }

    @Test
    void unitsGDividesByStandardGravity() {
        TestSet set = threeActivities();
        Sample s = set.devices().get(0).samples().get(7);
        Sample g = parse("units=G").apply(set).devices().get(0).samples().get(7);
        assertThat(g.y()).isCloseTo((float) (s.y() / 9.80665), within(1e-6f));
        assertThat(g.x()).isCloseTo((float) (s.x() / 9.80665), within(1e-6f));
    }

    @Test
    void skewKeepsOnlyTheNamedActivitiesAndClosesUpTheRest() {
        DeviceSeries d = parse("skew=Walking,Jogging").apply(threeActivities()).devices().get(0);
        assertThat(d.samples()).hasSize(80).extracting(Sample::activity).containsOnly("Walking", "Jogging");
        // the 2 s of Sitting left out become one series break's pause (the gap plus 1 s)
        long step = d.samples().get(40).timestampMs() - d.samples().get(39).timestampMs();
        assertThat(step).isEqualTo(GAP + TestSetReader.PAUSE_BEYOND_GAP_MS);
        assertThat(d.samples().get(41).timestampMs() - d.samples().get(40).timestampMs()).isEqualTo(50);
    }

    @Test
    void noiseIsSeededAndHasTheAskedSpread() {
        TestSet set = threeActivities();
        List<Sample> a = parse("noise=2").apply(set).devices().get(0).samples();
        List<Sample> b = parse("noise=2").apply(set).devices().get(0).samples();
        assertThat(a).isEqualTo(b);
        double sumSq = 0;
        for (int i = 0; i < a.size(); i++) {
            double e = a.get(i).y() - set.devices().get(0).samples().get(i).y();
            sumSq += e * e;
        }
        assertThat(Math.sqrt(sumSq / a.size())).isBetween(1.5, 2.5);
    }

    @Test
    void flatSticksOneAxisAtItsFirstValue() {
        List<Sample> s = parse("flat=x").apply(threeActivities()).devices().get(0).samples();
        assertThat(s).extracting(Sample::x).containsOnly(s.get(0).x());
        assertThat(s).extracting(Sample::z).doesNotHaveDuplicates();
    }

    @Test
    void kindsCombine() {
        Drift d = parse("rotate=180", "units=g", "skew=Sitting", "noise=0.5", "flat=z");
        assertThat(d).isEqualTo(new Drift(180, true, Set.of("Sitting"), 0.5, 2));
        assertThat(d.describe()).isEqualTo("rotate=180.0 units=g skew=Sitting noise=0.5 flat=z");
    }

    @Test
    void badValuesAreRefusedInOneLine() {
        assertRefused("--drift tilt=3: unknown kind 'tilt'", "tilt=3");
        assertRefused("--drift rotate needs a value", "rotate");
        assertRefused("--drift rotate=abc: not a finite number", "rotate=abc");
        assertRefused("--drift rotate=NaN: not a finite number", "rotate=NaN");
        assertRefused("only units=g", "units=mg");
        assertRefused("the SD must be above 0", "noise=0");
        assertRefused("the SD must be above 0", "noise=25");
        assertRefused("the axis must be x, y or z", "flat=w");
        assertRefused("an empty activity name", "skew=Walking,,Sitting");
        assertRefused("--drift rotate given twice", "rotate=10", "rotate=20");
        assertThatThrownBy(() -> parse("skew=Swimming").apply(threeActivities()))
                .isInstanceOf(SimulatorException.class)
                .hasMessage("--drift skew: Swimming not in the test set (it holds Jogging, Sitting, Walking)");
    }

    private static void assertRefused(String message, String... specs) {
        assertThatThrownBy(() -> parse(specs)).isInstanceOf(SimulatorException.class)
                .hasMessageContaining(message).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
