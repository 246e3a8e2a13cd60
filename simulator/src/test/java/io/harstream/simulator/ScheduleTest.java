package io.harstream.simulator;

import io.harstream.core.data.Sample;
import io.harstream.core.event.SensorEventCodec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ScheduleTest {

    static final long BASE = 1_764_000_000_000L; // an epoch-ms "now"

    static List<Schedule.Entry> drain(Schedule s) {
        List<Schedule.Entry> out = new ArrayList<>();
        for (Schedule.Entry e = s.poll(); e != null; e = s.poll()) {
            out.add(e);
        }
        return out;
    }

    static List<Schedule.Entry> take(Schedule s, int n) {
        List<Schedule.Entry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(s.poll());
        }
        return out;
    }

    static Pacing speed(double speed) {
        return new Pacing(speed, false, false, 1_000, 0);
    }

    @Test
    void interleavesDevicesByDueTimeKeepingEachDevicesOrder() {
        List<DeviceSeries> devices = List.of(TestSets.device("a-s1", 30, 50), TestSets.device("b-s1", 20, 50),
                TestSets.device("c-s1", 25, 40));
        List<Schedule.Entry> all = drain(new Schedule(devices, speed(1), 1000, BASE));

        assertThat(all).hasSize(75);
        for (int i = 1; i < all.size(); i++) {
            Schedule.Entry prev = all.get(i - 1);
            Schedule.Entry e = all.get(i);
            assertThat(e.dueNanos()).isGreaterThanOrEqualTo(prev.dueNanos());
            if (e.dueNanos() == prev.dueNanos()) {
                assertThat(e.deviceIndex()).isGreaterThan(prev.deviceIndex()); // ties: lower device first
            }
        }
        // devices start staggered over the second: 0, 333 and 666 ms, so their events interleave
        assertThat(all.subList(0, 7)).extracting(Schedule.Entry::deviceIndex).containsOnly(0);
        assertThat(all).extracting(Schedule.Entry::deviceIndex).containsSubsequence(0, 1, 2, 0, 1, 2, 0);
        for (int d = 0; d < 3; d++) {
            int device = d;
            assertThat(all.stream().filter(e -> e.deviceIndex() == device).map(e -> e.event().x()).toList())
                    .isSorted().hasSize(devices.get(d).size()); // x counts up with the sample index
        }
    }

    @Test
    void timestampsStartNowAndKeepTheRecordedSpacing() {
        DeviceSeries irregular = new DeviceSeries("u-s1", "u", List.of(new Sample(5_000, 1, 2, 3, "Walking"),
                new Sample(5_049, 1, 2, 3, "Walking"), new Sample(5_101, 1, 2, 3, "Walking"),
                new Sample(5_900, 1, 2, 3, "Jogging")));
        List<DeviceSeries> devices = List.of(TestSets.device("a-s1", 40, 50), irregular);
        List<Schedule.Entry> all = drain(new Schedule(devices, speed(1), 1000, BASE));

        Map<String, List<Long>> ts = new HashMap<>();
        all.forEach(e -> ts.computeIfAbsent(e.event().device(), k -> new ArrayList<>()).add(e.event().ts()));
        assertThat(ts.get("a-s1").get(0)).isEqualTo(BASE);
        assertThat(ts.get("u-s1")).containsExactly(BASE + 500, BASE + 549, BASE + 601, BASE + 1400);
        for (List<Long> t : ts.values()) {
            for (int i = 1; i < t.size(); i++) {
                assertThat(t.get(i)).isGreaterThan(t.get(i - 1));
            }
            assertThat(t).allSatisfy(v -> assertThat(v).isBetween(SensorEventCodec.MIN_TS, SensorEventCodec.MAX_TS));
        }
        for (int i = 1; i < ts.get("a-s1").size(); i++) {
            assertThat(ts.get("a-s1").get(i) - ts.get("a-s1").get(i - 1)).isEqualTo(50);
        }
        assertThat(all).filteredOn(e -> e.event().device().equals("u-s1")).extracting(e -> e.event().activity())
                .containsExactly("Walking", "Walking", "Walking", "Jogging");
    }

    @Test
    void speedDividesSendTimesButNotTimestamps() {
        List<DeviceSeries> devices = List.of(TestSets.device("a-s1", 201, 50)); // 10 s recorded
        List<Schedule.Entry> realTime = drain(new Schedule(devices, speed(1), 1000, BASE));
        List<Schedule.Entry> tenTimes = drain(new Schedule(devices, speed(10), 1000, BASE));

        assertThat(realTime.get(200).dueNanos()).isEqualTo(10_000_000_000L);
        assertThat(tenTimes.get(200).dueNanos()).isEqualTo(1_000_000_000L);
        assertThat(tenTimes.get(1).dueNanos()).isEqualTo(5_000_000L); // 20 Hz sent at 200 Hz
        assertThat(tenTimes).extracting(e -> e.event().ts())
                .isEqualTo(realTime.stream().map(e -> e.event().ts()).toList());
    }

    @Test
    void asFastAsPossibleMakesEverythingDueAtOnceInEventTimeOrder() {
        List<DeviceSeries> devices = List.of(TestSets.device("a-s1", 10, 50), TestSets.device("b-s1", 10, 50));
        List<Schedule.Entry> all = drain(new Schedule(devices, new Pacing(1, true, false, 1_000, 0), 1000, BASE));
        assertThat(all).extracting(Schedule.Entry::dueNanos).containsOnly(0L);
        assertThat(all).extracting(e -> e.event().ts()).isSorted();
    }

    @Test
    void staggerSpreadsStartsEvenly() {
        assertThat(List.of(0, 1, 2, 3)).map(i -> Schedule.staggerMs(i, 4, 1000)).containsExactly(0L, 250L, 500L, 750L);
        List<DeviceSeries> devices = List.of(TestSets.device("a-s1", 3, 50), TestSets.device("b-s1", 3, 50));
        List<Schedule.Entry> noStagger = drain(new Schedule(devices, new Pacing(1, false, false, 0, 0), 1000, BASE));
        assertThat(noStagger).extracting(Schedule.Entry::deviceIndex).containsExactly(0, 1, 0, 1, 0, 1);
    }

    @Test
    void eachLoopPassStartsAFreshSeriesForEveryDevice() {
        long maxGap = 1000;
        List<DeviceSeries> devices = List.of(TestSets.device("a-s1", 100, 50), TestSets.device("b-s1", 7, 50));
        Schedule s = new Schedule(devices, new Pacing(1, false, true, 1_000, 0), maxGap, BASE);
        // a lasts 4,950 ms, b starts 500 ms late and lasts 300: passes are 4,950 + 1,000 + 1 ms apart
        assertThat(s.passSpanMs()).isEqualTo(5_951);

        List<Schedule.Entry> three = take(s, 3 * 107);
        assertThat(s.isDone()).isFalse();
        assertThat(three).extracting(Schedule.Entry::pass).containsOnly(0, 1, 2).isSorted();
        assertThat(three.get(three.size() - 1).pass()).isEqualTo(2);
        for (String device : List.of("a-s1", "b-s1")) {
            List<Schedule.Entry> mine = three.stream().filter(e -> e.event().device().equals(device)).toList();
            int perPass = mine.size() / 3;
            for (int i = 1; i < mine.size(); i++) {
                long step = mine.get(i).event().ts() - mine.get(i - 1).event().ts();
                if (i % perPass == 0) {
                    assertThat(step).as("%s pass boundary", device).isGreaterThan(maxGap);
                    assertThat(mine.get(i).pass()).isEqualTo(mine.get(i - 1).pass() + 1);
                } else {
                    assertThat(step).as("%s within a pass", device).isEqualTo(50);
                }
            }
            // each pass is the same series, shifted by the pass span
            assertThat(mine.get(perPass).event().ts() - mine.get(0).event().ts()).isEqualTo(s.passSpanMs());
            assertThat(mine.get(perPass).event().x()).isEqualTo(mine.get(0).event().x());
        }
        // send times follow the same shift
        assertThat(three.get(107).dueNanos() - three.get(0).dueNanos()).isEqualTo(s.passSpanMs() * 1_000_000L);
    }

    @Test
    void countsDevicesInTheMiddleOfTheirSeries() {
        List<DeviceSeries> devices = List.of(TestSets.device("a-s1", 40, 50), TestSets.device("b-s1", 4, 50));
        Schedule s = new Schedule(devices, speed(1), 1000, BASE); // b starts at 500 ms, ends at 650 ms
        assertThat(s.activeDevices()).isZero();
        s.poll();
        assertThat(s.activeDevices()).isEqualTo(1);
        take(s, 11); // a's 0 .. 500 ms, then b's first at 500 ms (ties: lower device first)
        assertThat(s.activeDevices()).isEqualTo(2);
        drain(s);
        assertThat(s.activeDevices()).isZero();
        assertThat(s.isDone()).isTrue();
        assertThat(s.peekDueNanos()).isEqualTo(Long.MAX_VALUE);
    }
}
