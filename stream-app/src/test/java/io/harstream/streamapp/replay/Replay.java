package io.harstream.streamapp.replay;

import io.harstream.core.data.Recording;
import io.harstream.core.data.Sample;
import io.harstream.core.data.WisdmV1Reader;
import io.harstream.core.event.SensorEvent;
import io.harstream.core.event.SensorEventCodec;
import io.harstream.core.model.ActivityClassifier;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.smoothing.ActivitySmoother;
import io.harstream.core.smoothing.SmootherState;
import io.harstream.core.window.Segmenter;
import io.harstream.core.window.Window;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.UnaryOperator;

/**
 * The central end-to-end check's two halves for one set of recordings: the trainer's offline path
 * (cut every recording with {@link Segmenter#cut}, classify all windows with {@link ActivityClassifier})
 * and the same samples as live events, one device per recording, in the order a real-time simulator
 * would send them. Whatever the stream-app makes of the events must equal the offline result.
 *
 * <p>Timestamps are moved so that they are plausible epoch milliseconds (the event codec rejects WISDM's
 * device clocks): by one constant for all recordings ({@link #of}), or by one constant per recording
 * ({@link #concurrent}) so that recordings made hours apart play at the same time. A constant shift of
 * a whole recording changes no gap, no order and no sample value inside it, so the windows are the same.
 */
public final class Replay {

    /**
     * Offline result: every window with its true and predicted class, and the confusion matrix; with a bundle that
     * smooths, also each window's smoothed class (core's smoother over each device's windows in time order) and
     * their matrix (empty map and null otherwise).
     */
    public record Offline(Map<WindowKey, String> predicted, Map<WindowKey, String> actual, Confusion confusion,
                          Map<WindowKey, String> smoothed, Confusion smoothedConfusion) {
    }

    private final List<String> devices;
    private final List<Recording> recordings;
    /** Per recording: what is added to its timestamps. */
    private final long[] shiftMs;

    private Replay(List<Recording> recordings, long[] shiftMs) {
        this.recordings = List.copyOf(recordings);
        this.shiftMs = shiftMs.clone();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < recordings.size(); i++) {
            ids.add(recordings.get(i).user() + "-" + i);
        }
        this.devices = List.copyOf(ids);
    }

    /** Replays recordings whose timestamps are already epoch milliseconds. */
    public static Replay of(List<Recording> recordings) {
        long[] shifts = new long[recordings.size()];
        Arrays.fill(shifts, shiftFor(recordings));
        return new Replay(recordings, shifts);
    }

    /**
     * Replays recordings as devices that are all live at once, as a simulator replaying several users
     * does: recording {@code i} is moved to start at {@link SyntheticRecordings#EPOCH_BASE_MS} plus
     * {@code i * staggerMs}, keeping every timestamp difference inside it (gaps included).
     */
    public static Replay concurrent(List<Recording> recordings, long staggerMs) {
        long[] shifts = new long[recordings.size()];
        for (int i = 0; i < recordings.size(); i++) {
            List<Sample> samples = recordings.get(i).samples();
            shifts[i] = samples.isEmpty() ? 0
                    : SyntheticRecordings.EPOCH_BASE_MS + i * staggerMs - samples.get(0).timestampMs();
        }
        return new Replay(recordings, shifts);
    }

    /** Replays a WISDM v1.1 raw file (e.g. the trainer's test-set.txt), every activity in it. */
    public static Replay ofWisdmFile(Path file) throws IOException {
        return of(WisdmV1Reader.read(file, null).recordings());
    }

    private static long shiftFor(List<Recording> recordings) {
        long min = recordings.stream().flatMap(r -> r.samples().stream()).mapToLong(Sample::timestampMs).min()
                .orElse(SensorEventCodec.MIN_TS);
        return min >= SensorEventCodec.MIN_TS ? 0 : SyntheticRecordings.EPOCH_BASE_MS - min;
    }

    public List<String> devices() {
        return devices;
    }

    /** What is added to recording {@code i}'s timestamps. */
    public long shiftMs(int recording) {
        return shiftMs[recording];
    }

    /**
     * Every sample as an event, as a real-time simulator sends them: each device's samples in recording
     * order, the devices interleaved by timestamp (a k-way merge on each device's next sample; ties go to
     * the lower device index).
     */
    public List<SensorEvent> events() {
        PriorityQueue<int[]> next = new PriorityQueue<>(Comparator
                .<int[]>comparingLong(c -> recordings.get(c[0]).samples().get(c[1]).timestampMs() + shiftMs[c[0]])
                .thenComparingInt(c -> c[0]));
        for (int i = 0; i < recordings.size(); i++) {
            if (!recordings.get(i).samples().isEmpty()) {
                next.add(new int[] {i, 0});
            }
        }
        List<SensorEvent> events = new ArrayList<>();
        while (!next.isEmpty()) {
            int[] cursor = next.poll();
            List<Sample> samples = recordings.get(cursor[0]).samples();
            Sample s = samples.get(cursor[1]);
            events.add(new SensorEvent(devices.get(cursor[0]), s.timestampMs() + shiftMs[cursor[0]], s.x(), s.y(),
                    s.z(), s.activity()));
            if (cursor[1] + 1 < samples.size()) {
                next.add(new int[] {cursor[0], cursor[1] + 1});
            }
        }
        return events;
    }

    /**
     * The fixed-lag smoother's class of every window, as the trainer's evaluation computes it: core's
     * {@link ActivitySmoother#smooth} with {@code lag} over each device's windows in time order.
     *
     * @throws IllegalArgumentException when the bundle does not smooth
     */
    public Map<WindowKey, String> laggedOffline(ModelBundle bundle, int lag) {
        ActivitySmoother smoother = bundle.smoother()
                .orElseThrow(() -> new IllegalArgumentException("the bundle does not smooth"));
        Segmenter segmenter = bundle.segmenter();
        Map<WindowKey, String> lagged = new LinkedHashMap<>();
        for (int i = 0; i < recordings.size(); i++) {
            UnaryOperator<Window> turn = bundle.axesFrame().forDevice();
            List<Window> windows = segmenter.cut(recordings.get(i)).stream().map(turn).toList();
            if (windows.isEmpty()) {
                continue;
            }
            float[][] p = new ActivityClassifier(bundle).probabilities(windows);
            long shift = shiftMs[i];
            long[] starts = windows.stream().mapToLong(w -> w.startTs() + shift).toArray();
            int[] smoothed = smoother.smooth(starts, p, lag);
            for (int t = 0; t < starts.length; t++) {
                lagged.put(new WindowKey(devices.get(i), starts[t]), bundle.classes().get(smoothed[t]));
            }
        }
        return lagged;
    }

    /** The trainer's path over the same samples. */
    public Offline offline(ModelBundle bundle) {
        Segmenter segmenter = bundle.segmenter();
        List<WindowKey> keys = new ArrayList<>();
        List<Window> windows = new ArrayList<>();
        for (int i = 0; i < recordings.size(); i++) {
            UnaryOperator<Window> turn = bundle.axesFrame().forDevice();
            for (Window w : segmenter.cut(recordings.get(i))) {
                keys.add(new WindowKey(devices.get(i), w.startTs() + shiftMs[i]));
                windows.add(turn.apply(w));
            }
        }
        Map<WindowKey, String> predicted = new LinkedHashMap<>();
        Map<WindowKey, String> actual = new LinkedHashMap<>();
        Map<WindowKey, String> smoothed = new LinkedHashMap<>();
        Confusion confusion = new Confusion();
        ActivitySmoother smoother = bundle.smoother().orElse(null);
        Confusion smoothedConfusion = smoother == null ? null : new Confusion();
        if (!windows.isEmpty()) {
            float[][] p = new ActivityClassifier(bundle).probabilities(windows);
            List<String> classes = bundle.classes();
            Map<String, SmootherState> states = new HashMap<>();
            for (int i = 0; i < windows.size(); i++) {
                String pred = classes.get(ActivityClassifier.argmax(p[i]));
                String act = windows.get(i).labelled() ? classes.get(windows.get(i).label()) : null;
                predicted.put(keys.get(i), pred);
                actual.put(keys.get(i), act);
                confusion.add(act, pred);
                if (smoother != null) {
                    WindowKey k = keys.get(i);
                    SmootherState s = smoother.step(states.get(k.device()), k.windowStart(), p[i]);
                    states.put(k.device(), s);
                    smoothed.put(k, classes.get(s.predicted()));
                    smoothedConfusion.add(act, classes.get(s.predicted()));
                }
            }
        }
        return new Offline(predicted, actual, confusion, smoothed, smoothedConfusion);
    }
}
