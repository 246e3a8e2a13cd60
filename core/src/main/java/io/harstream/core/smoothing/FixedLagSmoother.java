package io.harstream.core.smoothing;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed-lag smoother served live: {@link ActivitySmoother#smooth}{@code (starts, p, L)} computed one window at a
 * time, each window's label final {@code L} windows after it.
 *
 * <p>Each {@link #step} runs the causal filter ({@link ActivitySmoother#step}, so the causal labels are unchanged) and
 * keeps the window waiting in the state; once {@code L} later windows of its run have come, the oldest waiting window
 * gets its label, exactly as {@code smooth} gives it (the same arithmetic, {@link ActivitySmoother#fixedLagClass}).
 * A run ends where {@code smooth} ends it: when a window restarts the filter (a gap over the model's
 * {@code maxGapMs}, a step back), the windows still waiting get their labels from the look-ahead their run had,
 * before the restarting window is taken in; {@link #finish} does the same at the end of a series. So a series fed
 * through {@code step} and then {@code finish} gives, window by window, {@code smooth}'s labels.
 *
 * <p>A state left by a model with another number of classes (a model swap) continues as a restart: the filter
 * starts over and the windows it kept are dropped without a label.
 *
 * <p>Latency: a window's lagged label comes {@code L} windows (hops) after it, or when its run ends. Immutable and
 * thread-safe; the per-device state is a {@link FixedLagState} the caller keeps.
 */
public final class FixedLagSmoother {

    /** The largest lag accepted: a state keeps {@code lag + 1} windows. */
    public static final int MAX_LAG = 1_000;

    private final ActivitySmoother smoother;
    private final int lag;

    /** @throws IllegalArgumentException when {@code lag} is not 0 to {@link #MAX_LAG} */
    public FixedLagSmoother(ActivitySmoother smoother, int lag) {
        if (lag < 0 || lag > MAX_LAG) {
            throw new IllegalArgumentException("the smoothing lag must be 0 to " + MAX_LAG + " windows, got " + lag);
        }
        this.smoother = smoother;
        this.lag = lag;
    }

    public int lag() {
        return lag;
    }

    /** A state after a window, and the lagged labels that became final with it (oldest first). */
    public record Step(FixedLagState state, List<LaggedLabel> labelled) {
    }

    /**
     * Takes one window in.
     *
     * @param previous      the device's state after its previous window, or null for its first
     * @param windowStart   the window's start (epoch ms)
     * @param windowEnd     the window's end (epoch ms), reported with its label
     * @param label         the window's true class, or {@link LaggedLabel#UNLABELLED}; reported with its label
     * @param probabilities the network's probabilities for the window
     */
    public Step step(FixedLagState previous, long windowStart, long windowEnd, int label, float[] probabilities) {
        if (previous != null && previous.filter().belief().length != probabilities.length) {
            // A state left by a model with other classes: its windows cannot be labelled in this model's classes.
            previous = new FixedLagState(previous.filter(), List.of());
        }
        SmootherState filter = smoother.step(previous == null ? null : previous.filter(), windowStart, probabilities);
        List<LaggedLabel> labelled = new ArrayList<>();
        List<LagWindow> waiting = new ArrayList<>();
        if (previous != null) {
            if (filter.restarted()) {
                labelled.addAll(finish(previous));
            } else {
                waiting.addAll(previous.waiting());
            }
        }
        waiting.add(new LagWindow(windowStart, windowEnd, label, probabilities.clone(), filter.belief()));
        while (waiting.size() > lag) {
            labelled.add(label(waiting, 0, lag));
            waiting.remove(0);
        }
        return new Step(new FixedLagState(filter, waiting), labelled);
    }

    /** The labels of every window still waiting, with the look-ahead its run had: the end of a series. */
    public List<LaggedLabel> finish(FixedLagState state) {
        List<LaggedLabel> labelled = new ArrayList<>();
        if (state == null) {
            return labelled;
        }
        List<LagWindow> waiting = state.waiting();
        for (int t = 0; t < waiting.size(); t++) {
            labelled.add(label(waiting, t, Math.min(t + lag, waiting.size() - 1)));
        }
        return labelled;
    }

    /** Window {@code t}'s label with the windows up to {@code end} of {@code run} as look-ahead. */
    private LaggedLabel label(List<LagWindow> run, int t, int end) {
        long[] starts = new long[end + 1];
        float[][] p = new float[end + 1][];
        for (int m = t; m <= end; m++) {
            starts[m] = run.get(m).windowStart();
            p[m] = run.get(m).probabilities();
        }
        LagWindow w = run.get(t);
        return new LaggedLabel(w.windowStart(), w.windowEnd(), w.label(),
                smoother.fixedLagClass(w.belief(), starts, p, t, end));
    }
}
