package io.harstream.core.window;

import io.harstream.core.data.Activities;
import io.harstream.core.data.Recording;
import io.harstream.core.data.Sample;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts windows out of a series of samples. This one class is the segmentation of the whole
 * project: the trainer feeds it recordings, the stream-app feeds it live events one at a time, so a
 * replayed test set yields exactly the trainer's windows.
 *
 * <p>Rules: a window of {@link WindowSpec#length()} samples ends at every sample where
 * {@code seen - length} is a multiple of {@link WindowSpec#hop()}, counting from the series start. A
 * timestamp more than {@link WindowSpec#maxGapMs()} after the previous one, or before it, restarts the
 * series with that sample; an exact repeat of the previous sample is ignored. The window's label is
 * the most frequent known label among its samples (ties go to the lower class index).
 */
public final class Segmenter {

    private final WindowSpec spec;
    private final List<String> classes;
    private final Map<String, Integer> classIndex = new HashMap<>();

    /**
     * @param spec    window length, hop and maximum gap
     * @param classes class names in model order; a sample whose activity is not among them (or null)
     *                counts as unlabelled, except the other WISDM dataset's stairs labels, read as
     *                {@link Activities#otherDatasetLabels} says
     */
    public Segmenter(WindowSpec spec, List<String> classes) {
        this.spec = spec;
        this.classes = List.copyOf(classes);
        if (classes.size() > Short.MAX_VALUE) {
            throw new IllegalArgumentException("too many classes: " + classes.size());
        }
        for (int i = 0; i < this.classes.size(); i++) {
            classIndex.put(this.classes.get(i), i);
        }
        Activities.otherDatasetLabels(this.classes).forEach((label, asClass) ->
                classIndex.put(label, asClass.map(classIndex::get).orElse(Window.UNLABELLED)));
    }

    /**
     * Whether a label means something to this model: one of its classes, or a label of the other WISDM
     * dataset that it reads as one of them or as no label ({@link Activities#otherDatasetLabels}).
     */
    public boolean knows(String activity) {
        return classIndex.containsKey(activity);
    }

    public WindowSpec spec() {
        return spec;
    }

    public List<String> classes() {
        return classes;
    }

    public SeriesBuffer newBuffer() {
        return new SeriesBuffer(spec.length());
    }

    /** Class index of an activity name (the other dataset's stairs as {@link #knows} says), or {@link Window#UNLABELLED}. */
    public int labelOf(String activity) {
        return activity == null ? Window.UNLABELLED : classIndex.getOrDefault(activity, Window.UNLABELLED);
    }

    /** The result of offering one sample: what happened to it, and the window it completed, if any. */
    public record Step(SampleOutcome outcome, Window window) {
    }

    /** Offers one sample to a series; mutates {@code buffer}. */
    public Step offer(SeriesBuffer buffer, Sample s) {
        if (buffer.capacity() != spec.length()) {
            throw new IllegalArgumentException("buffer holds " + buffer.capacity() + " samples, windows need "
                    + spec.length());
        }
        SampleOutcome outcome = SampleOutcome.APPENDED;
        if (!buffer.isEmpty()) {
            long last = buffer.lastTimestamp();
            if (buffer.isSameAsLast(s.timestampMs(), s.x(), s.y(), s.z())) {
                return new Step(SampleOutcome.DUPLICATE, null);
            } else if (s.timestampMs() <= last) {
                buffer.clear();
                outcome = SampleOutcome.RESTARTED_AFTER_STEP_BACK;
            } else if (s.timestampMs() - last > spec.maxGapMs()) {
                buffer.clear();
                outcome = SampleOutcome.RESTARTED_AFTER_GAP;
            }
        }
        buffer.append(s.timestampMs(), s.x(), s.y(), s.z(), labelOf(s.activity()));
        long seen = buffer.seen();
        boolean completes = seen >= spec.length() && (seen - spec.length()) % spec.hop() == 0;
        return new Step(outcome, completes ? snapshot(buffer) : null);
    }

    /** Every window of one recording, in order. */
    public List<Window> cut(Recording recording) {
        SeriesBuffer buffer = newBuffer();
        List<Window> windows = new ArrayList<>();
        for (Sample s : recording.samples()) {
            Window w = offer(buffer, s).window();
            if (w != null) {
                windows.add(w);
            }
        }
        return windows;
    }

    /**
     * Splits a recording where the series would restart (a gap or a step back), so that each part is
     * one uninterrupted series: the simulator replays each part as its own device.
     */
    public List<Recording> splitSeries(Recording recording) {
        List<Recording> parts = new ArrayList<>();
        List<Sample> current = new ArrayList<>();
        SeriesBuffer buffer = newBuffer();
        for (Sample s : recording.samples()) {
            SampleOutcome outcome = offer(buffer, s).outcome();
            boolean restarted = outcome == SampleOutcome.RESTARTED_AFTER_GAP
                    || outcome == SampleOutcome.RESTARTED_AFTER_STEP_BACK;
            if (restarted) {
                parts.add(new Recording(recording.user(), current));
                current = new ArrayList<>();
            }
            current.add(s);
        }
        if (!current.isEmpty()) {
            parts.add(new Recording(recording.user(), current));
        }
        return parts;
    }

    private Window snapshot(SeriesBuffer b) {
        int n = spec.length();
        float[] x = new float[n];
        float[] y = new float[n];
        float[] z = new float[n];
        int[] votes = new int[classes.size()];
        int start = b.head; // the buffer is full: head is the oldest sample
        for (int k = 0; k < n; k++) {
            int i = (start + k) % n;
            x[k] = b.x[i];
            y[k] = b.y[i];
            z[k] = b.z[i];
            if (b.label[i] >= 0) {
                votes[b.label[i]]++;
            }
        }
        int best = Window.UNLABELLED;
        for (int c = 0; c < votes.length; c++) {
            if (votes[c] > 0 && (best == Window.UNLABELLED || votes[c] > votes[best])) {
                best = c;
            }
        }
        return new Window(b.ts[start], b.ts[b.previous(b.head)], x, y, z, best);
    }
}
