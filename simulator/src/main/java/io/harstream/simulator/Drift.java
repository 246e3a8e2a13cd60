package io.harstream.simulator;

import io.harstream.core.data.Sample;
import io.harstream.core.geometry.Rotations;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * What {@code simulate --drift} does to the replayed recordings so that they look like real trouble, each kind
 * one of the stream-app's label-free quality signals should catch. Applied to the test set before the replay
 * ({@link #apply}); labels are kept, so the replay can still check what the stream-app's signals say.
 *
 * <ul>
 * <li>{@code rotate=DEG}: every phone turned by DEG degrees about its screen normal (z): a phone carried
 *     another way round in the pocket than the model learned from.</li>
 * <li>{@code units=g}: the sensor reports in g instead of m/s² (every axis divided by {@link #STANDARD_GRAVITY}).</li>
 * <li>{@code skew=A[,B...]}: only the named activities are replayed (the others' stretches left out and the
 *     rest closed up as the reader closes a series break), so the class mix leans to a few activities.</li>
 * <li>{@code noise=SD}: Gaussian noise of SD m/s² added to every axis (seeded: the same replay every time).</li>
 * <li>{@code flat=AXIS}: one axis ({@code x}, {@code y} or {@code z}) stuck at its first value in each device.</li>
 * </ul>
 *
 * @param rotateDegrees turn about z, degrees; 0 for none
 * @param inG           axes in g
 * @param skewTo        the activities kept; empty for all
 * @param noiseSd       SD of the added noise, m/s²; 0 for none
 * @param flatAxis      the stuck axis (0 x, 1 y, 2 z), or -1 for none
 */
public record Drift(double rotateDegrees, boolean inG, Set<String> skewTo, double noiseSd, int flatAxis) {

    /** No drift: the recordings as recorded. */
    public static final Drift NONE = new Drift(0, false, Set.of(), 0, -1);
    public static final double STANDARD_GRAVITY = 9.80665;
    /**
     * The largest noise SD accepted: four SDs stay within the stream-app's ±160 m/s² range check for any
     * recorded value (WISDM's phones stay within ±80), so the noise does not turn samples into dead letters.
     */
    public static final double MAX_NOISE_SD = 20;
    /** The seed of the noise: the same replay every time. */
    public static final long NOISE_SEED = 20_261_207L;
    /** The kinds, as {@code --drift} names them. */
    public static final List<String> KINDS = List.of("rotate", "units", "skew", "noise", "flat");

    public Drift {
        skewTo = Set.copyOf(skewTo);
    }

    public boolean none() {
        return equals(NONE);
    }

    /**
     * Reads {@code --drift} values, each {@code KIND=VALUE}; several kinds combine, a kind given twice is refused.
     *
     * @throws SimulatorException with one line saying what is wrong
     */
    public static Drift parse(List<String> specs) {
        Drift d = NONE;
        Set<String> seen = new LinkedHashSet<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            String kind = (eq < 0 ? spec : spec.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : spec.substring(eq + 1).trim();
            if (!KINDS.contains(kind)) {
                throw new SimulatorException("--drift " + spec + ": unknown kind '" + kind + "' (known: "
                        + String.join(", ", KINDS) + "; each KIND=VALUE)");
            }
            if (!seen.add(kind)) {
                throw new SimulatorException("--drift " + kind + " given twice");
            }
            if (value.isEmpty()) {
                throw new SimulatorException("--drift " + kind + " needs a value: " + usage(kind));
            }
            d = switch (kind) {
                case "rotate" -> {
                    double deg = number(kind, value);
                    yield new Drift(deg, d.inG, d.skewTo, d.noiseSd, d.flatAxis);
                }
                case "units" -> {
                    if (!value.equalsIgnoreCase("g")) {
                        throw new SimulatorException("--drift units=" + value + ": only units=g is known");
                    }
                    yield new Drift(d.rotateDegrees, true, d.skewTo, d.noiseSd, d.flatAxis);
                }
                case "skew" -> {
                    Set<String> keep = new TreeSet<>();
                    for (String a : value.split(",")) {
                        if (a.isBlank()) {
                            throw new SimulatorException("--drift skew=" + value + ": an empty activity name");
                        }
                        keep.add(a.trim());
                    }
                    yield new Drift(d.rotateDegrees, d.inG, keep, d.noiseSd, d.flatAxis);
                }
                case "noise" -> {
                    double sd = number(kind, value);
                    if (!(sd > 0 && sd <= MAX_NOISE_SD)) {
                        throw new SimulatorException("--drift noise=" + value + ": the SD must be above 0 and at most "
                                + (int) MAX_NOISE_SD + " m/s^2");
                    }
                    yield new Drift(d.rotateDegrees, d.inG, d.skewTo, sd, d.flatAxis);
                }
                default -> { // flat
                    int axis = List.of("x", "y", "z").indexOf(value.toLowerCase(Locale.ROOT));
                    if (axis < 0) {
                        throw new SimulatorException("--drift flat=" + value + ": the axis must be x, y or z");
                    }
                    yield new Drift(d.rotateDegrees, d.inG, d.skewTo, d.noiseSd, axis);
                }
            };
        }
        return d;
    }

    private static String usage(String kind) {
        return switch (kind) {
            case "rotate" -> "rotate=DEGREES";
            case "units" -> "units=g";
            case "skew" -> "skew=ACTIVITY[,ACTIVITY...]";
            case "noise" -> "noise=SD_M_PER_S2";
            default -> "flat=x|y|z";
        };
    }

    private static double number(String kind, String value) {
        try {
            double v = Double.parseDouble(value);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new SimulatorException("--drift " + kind + "=" + value + ": not a finite number");
    }

    /**
     * The test set with this drift applied to every device.
     *
     * @throws SimulatorException when {@code skew} names an activity the test set does not hold, or leaves no sample
     */
    public TestSet apply(TestSet set) {
        if (none()) {
            return set;
        }
        if (!skewTo.isEmpty()) {
            Set<String> present = new TreeSet<>();
            set.devices().forEach(d -> d.samples().forEach(s -> {
                if (s.activity() != null) {
                    present.add(s.activity());
                }
            }));
            Set<String> unknown = new TreeSet<>(skewTo);
            unknown.removeAll(present);
            if (!unknown.isEmpty()) {
                throw new SimulatorException("--drift skew: " + String.join(", ", unknown)
                        + " not in the test set (it holds " + String.join(", ", present) + ")");
            }
        }
        double[] turn = Rotations.aboutZ(Math.toRadians(rotateDegrees));
        double scale = inG ? 1 / STANDARD_GRAVITY : 1;
        long pause = set.maxGapMs() + TestSetReader.PAUSE_BEYOND_GAP_MS;
        List<DeviceSeries> out = new ArrayList<>(set.devices().size());
        for (int k = 0; k < set.devices().size(); k++) {
            DeviceSeries d = set.devices().get(k);
            Random noise = new Random(new SplittableRandom(NOISE_SEED + k).nextLong());
            List<Sample> samples = new ArrayList<>(d.size());
            float[] stuck = null;
            long shift = 0;
            long lastKept = Long.MIN_VALUE;
            long lastOriginal = Long.MIN_VALUE;
            for (Sample s : d.samples()) {
                if (!skewTo.isEmpty() && (s.activity() == null || !skewTo.contains(s.activity()))) {
                    continue;
                }
                // Close up what was left out: a stretch dropped in between becomes one series break's pause.
                if (lastKept != Long.MIN_VALUE && s.timestampMs() - lastOriginal > pause) {
                    shift += s.timestampMs() - lastOriginal - pause;
                }
                lastOriginal = s.timestampMs();
                double[] a = {s.x(), s.y(), s.z()};
                double[] v = {
                    turn[0] * a[0] + turn[1] * a[1] + turn[2] * a[2],
                    turn[3] * a[0] + turn[4] * a[1] + turn[5] * a[2],
                    turn[6] * a[0] + turn[7] * a[1] + turn[8] * a[2]
                };
                float[] f = new float[3];
                for (int i = 0; i < 3; i++) {
                    f[i] = (float) ((v[i] + (noiseSd > 0 ? noise.nextGaussian() * noiseSd : 0)) * scale);
                }
                if (flatAxis >= 0) {
                    if (stuck == null) {
                        stuck = f.clone();
                    }
                    f[flatAxis] = stuck[flatAxis];
                }
                long ts = s.timestampMs() - shift;
                samples.add(new Sample(ts, f[0], f[1], f[2], s.activity()));
                lastKept = ts;
            }
            if (!samples.isEmpty()) {
                out.add(new DeviceSeries(d.device(), d.user(), samples));
            }
        }
        if (out.isEmpty()) {
            throw new SimulatorException("--drift skew=" + String.join(",", skewTo) + " leaves no sample to replay");
        }
        return new TestSet(set.source(), set.maxGapMs(), out, set.skipped(), set.duplicatesDropped());
    }

    /** One line for the log: what the replay does to the recordings. */
    public String describe() {
        if (none()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        if (rotateDegrees != 0) {
            parts.add("rotate=" + rotateDegrees);
        }
        if (inG) {
            parts.add("units=g");
        }
        if (!skewTo.isEmpty()) {
            parts.add("skew=" + String.join(",", new TreeSet<>(skewTo)));
        }
        if (noiseSd > 0) {
            parts.add("noise=" + noiseSd);
        }
        if (flatAxis >= 0) {
            parts.add("flat=" + "xyz".charAt(flatAxis));
        }
        return String.join(" ", parts);
    }

    @Override
    public String toString() {
        return "Drift[" + describe() + "]";
    }
}
