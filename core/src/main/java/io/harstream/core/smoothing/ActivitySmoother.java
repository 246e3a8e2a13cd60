package io.harstream.core.smoothing;

/**
 * The causal forward filter of a hidden Markov model over one device's window predictions.
 *
 * <p>Hidden state: the activity of a window, {@code K} classes. Observation: the network's probabilities
 * {@code p_t} for window {@code t}. A discriminative network estimates {@code P(class | window)}; divided by the
 * class prior {@code π} it is proportional to the likelihood {@code P(window | class)}, the HMM's emission:
 * <pre>
 *   e_t(j) = (p_t(j) / π(j))^β             (π(j) = 0 is read as 1/K: nothing is known of how rare it is)
 * </pre>
 * The evidence exponent {@code β} ({@link SmoothingModel#evidenceExponent()}) tempers each window's evidence
 * against the transitions: with {@code β < 1} the filter needs a longer run of windows to change its mind, and a
 * window the network is unsure of moves it less. It tempers the likelihood ratio, not {@code p} alone, so that a
 * small {@code β} fades the evidence towards "no information" rather than towards a bias for rare classes. The
 * trainer chooses {@code β} on people it did not train on; {@code β = 1} is the plain HMM filter.
 * With {@code T} the transition matrix for one hop and {@code s_t} the hops between window {@code t-1} and
 * {@code t} ({@code s_t = max(1, round((start_t - start_{t-1}) / hopMs))}: windows lost in between are steps
 * nothing was observed in), the belief {@code α_t(j) = P(class_t = j | p_1..p_t)} is
 * <pre>
 *   α_t(j) = e_t(j) · Σ_i α_{t-1}(i) · (T^{s_t})(i, j) / Z_t        Z_t makes α_t sum to 1
 *   α_1(j) = p_1(j) / Σ p_1                                           (restart: π(j) · e_1(j), normalised)
 * </pre>
 * The filter restarts (the second line) on a device's first window, when a window starts more than
 * {@link SmoothingModel#maxGapMs()} after the previous one, or not after it (the series stepped back): an
 * activity seen minutes ago says little about now. A restarted window's smoothed prediction is the network's own.
 *
 * <p>Numerics: everything is computed in {@code double} from the network's {@code float} probabilities, and
 * {@code α} is normalised after every window, so it neither underflows over long series nor depends on their
 * length. Should a product still vanish (the network gives exactly 0 to every class the belief allows), the
 * window restarts the filter rather than produce NaN.
 *
 * <p>Fixed lag ({@link #smooth} with {@code lag > 0}): the estimate for window {@code t} also uses the windows up to
 * {@code t + L} of its run (forward-backward over that span): {@code γ_t(i) ∝ α_t(i) · β_t(i)} with
 * {@code β_{t+L} = 1} and {@code β_{m-1}(i) = Σ_j (T^{s_m})(i,j) · e_m(j) · β_m(j)}. A run that ends (the series
 * ends or the next window restarts the filter) before {@code t + L} gives its last windows what look-ahead it has.
 * {@link FixedLagSmoother} computes the same labels one window at a time, {@code L} hops later.
 *
 * <p>Immutable and thread-safe; the per-device state is a {@link SmootherState} the caller keeps.
 */
public final class ActivitySmoother {

    private final SmoothingModel model;
    private final int k;
    /** 1 / π, with 1/K for a zero prior. */
    private final double[] inversePrior;
    /** β; 1 computes emissions exactly as before the exponent existed. */
    private final double exponent;
    private final double[][] transitions;

    /** @throws IllegalArgumentException when the model's prior or transitions are not {@code k} distributions */
    public ActivitySmoother(SmoothingModel model, int classes) {
        String problem = model.problem(java.util.Collections.nCopies(classes, "?"));
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.model = model;
        this.k = classes;
        this.inversePrior = new double[k];
        for (int j = 0; j < k; j++) {
            inversePrior[j] = model.prior()[j] > 0 ? 1 / model.prior()[j] : k;
        }
        this.exponent = model.evidenceExponent();
        this.transitions = new double[k][];
        for (int i = 0; i < k; i++) {
            transitions[i] = model.transitions()[i].clone();
        }
    }

    public SmoothingModel model() {
        return model;
    }

    /**
     * Filters one window: the device's state after it.
     *
     * @param previous      the device's state after its previous window, or null for its first
     * @param windowStart   the window's start (epoch ms)
     * @param probabilities the network's probabilities for the window, one per class
     */
    public SmootherState step(SmootherState previous, long windowStart, float[] probabilities) {
        if (probabilities.length != k) {
            throw new IllegalArgumentException(probabilities.length + " probabilities for " + k + " classes");
        }
        int hops = hops(previous, windowStart);
        if (hops > 0 && previous.belief().length == k) {
            double[] predicted = propagate(previous.belief(), hops);
            double[] alpha = new double[k];
            double sum = 0;
            for (int j = 0; j < k; j++) {
                alpha[j] = exponent == 1 ? predicted[j] * probabilities[j] * inversePrior[j]
                        : predicted[j] * emission(probabilities[j], j);
                sum += alpha[j];
            }
            if (sum > 0 && Double.isFinite(sum)) {
                for (int j = 0; j < k; j++) {
                    alpha[j] /= sum;
                }
                return new SmootherState(windowStart, alpha, false);
            }
        }
        return new SmootherState(windowStart, restart(probabilities), true);
    }

    /**
     * Smooths a whole series of windows in time order (one device or person), as {@link #step} would window by
     * window when {@code lag} is 0.
     *
     * @param starts        window starts, in the order the windows arrive
     * @param probabilities the network's probabilities, one row per window
     * @param lag           windows of look-ahead within a run (0: the causal filter)
     * @return the smoothed class of each window
     */
    public int[] smooth(long[] starts, float[][] probabilities, int lag) {
        if (lag < 0) {
            throw new IllegalArgumentException("lag must not be negative: " + lag);
        }
        int n = starts.length;
        SmootherState[] states = new SmootherState[n];
        SmootherState state = null;
        for (int t = 0; t < n; t++) {
            state = step(state, starts[t], probabilities[t]);
            states[t] = state;
        }
        int[] out = new int[n];
        for (int t = 0; t < n; t++) {
            if (lag == 0) {
                out[t] = states[t].predicted();
                continue;
            }
            int end = t;
            while (end + 1 < n && end - t < lag && !states[end + 1].restarted()) {
                end++;
            }
            out[t] = fixedLagClass(states[t].belief(), starts, probabilities, t, end);
        }
        return out;
    }

    /**
     * The fixed-lag estimate of window {@code t}: {@code argmax γ_t} (the first class on ties) with
     * {@code γ_t(i) ∝ α_t(i) · β_t(i)}, {@code β} taken back from {@code β_end = 1} over the windows
     * {@code t+1..end}, which must all belong to {@code t}'s run. {@link #smooth} and {@link FixedLagSmoother} both
     * call this, so the offline and the online lagged labels are the same arithmetic.
     *
     * @param alpha the filtered belief after window {@code t}
     */
    int fixedLagClass(double[] alpha, long[] starts, float[][] probabilities, int t, int end) {
        double[] beta = new double[k];
        java.util.Arrays.fill(beta, 1);
        for (int m = end; m > t; m--) {
            int hops = hops(starts[m - 1], starts[m]);
            double[] weighted = new double[k];
            for (int j = 0; j < k; j++) {
                weighted[j] = exponent == 1 ? probabilities[m][j] * inversePrior[j] * beta[j]
                        : emission(probabilities[m][j], j) * beta[j];
            }
            beta = backward(weighted, hops);
        }
        double[] gamma = new double[k];
        int best = 0;
        for (int i = 0; i < k; i++) {
            gamma[i] = alpha[i] * beta[i];
            if (gamma[i] > gamma[best]) {
                best = i;
            }
        }
        return best;
    }

    /** {@code (p / π(j))^β}. */
    private double emission(float p, int j) {
        return Math.pow(p * inversePrior[j], exponent);
    }

    /** Hops from the previous window to this one, or 0 when the filter restarts. */
    private int hops(SmootherState previous, long windowStart) {
        return previous == null ? 0 : hops(previous.windowStart(), windowStart);
    }

    private int hops(long previousStart, long windowStart) {
        long dt = windowStart - previousStart;
        if (dt <= 0 || dt > model.maxGapMs()) {
            return 0;
        }
        return (int) Math.max(1, Math.round((double) dt / model.hopMs()));
    }

    /** {@code belief · T^hops}. */
    private double[] propagate(double[] belief, int hops) {
        double[] v = belief;
        for (int s = 0; s < hops; s++) {
            double[] next = new double[k];
            for (int i = 0; i < k; i++) {
                double b = v[i];
                double[] row = transitions[i];
                for (int j = 0; j < k; j++) {
                    next[j] += b * row[j];
                }
            }
            v = next;
        }
        return v;
    }

    /** {@code T^hops · w}, normalised to sum 1 (β's scale does not matter, its growth would). */
    private double[] backward(double[] w, int hops) {
        double[] v = w;
        for (int s = 0; s < hops; s++) {
            double[] next = new double[k];
            for (int i = 0; i < k; i++) {
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += transitions[i][j] * v[j];
                }
                next[i] = sum;
            }
            v = next;
        }
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        if (!(sum > 0) || !Double.isFinite(sum)) {
            double[] flat = new double[k];
            java.util.Arrays.fill(flat, 1);
            return flat;
        }
        for (int i = 0; i < k; i++) {
            v[i] /= sum;
        }
        return v;
    }

    /** The network's probabilities normalised; uniform when they hold nothing usable. */
    private double[] restart(float[] probabilities) {
        double[] alpha = new double[k];
        double sum = 0;
        for (int j = 0; j < k; j++) {
            double p = probabilities[j];
            alpha[j] = p > 0 && Double.isFinite(p) ? p : 0;
            sum += alpha[j];
        }
        for (int j = 0; j < k; j++) {
            alpha[j] = sum > 0 && Double.isFinite(sum) ? alpha[j] / sum : 1.0 / k;
        }
        return alpha;
    }
}
