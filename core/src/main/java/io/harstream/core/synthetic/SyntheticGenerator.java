package io.harstream.core.synthetic;

import io.harstream.core.geometry.Rotations;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a deterministic, physically modelled stand-in for the WISDM v1.1 raw accelerometer file,
 * so the demo and the tests run without the real data set.
 *
 * <h2>Format</h2>
 * One sample a line, {@code user,activity,timestamp,x,y,z;} followed by {@code '\n'}: user ids
 * {@code 1..users}, the six v1.1 activities ({@link #ACTIVITIES}), the timestamp in nanoseconds on
 * the user's phone clock, and x, y, z in m/s^2 (gravity included) printed by {@link Float#toString}
 * (so a value can appear in E notation, e.g. {@code 9.5E-4}). Users are written one after the other.
 * Each user's activities come in {@link SyntheticSpec#blocksPerActivity()} contiguous blocks per
 * activity, in a seeded shuffled order; inside a block samples are exactly
 * {@link SyntheticSpec#sampleStepNanos()} apart, between two blocks of a user there is a gap of 5
 * to 30 s, and each user's clock starts at a different offset (like phone uptime, 0.5 to 55 h).
 *
 * <h2>Signal model</h2>
 * Per sample the generator builds the specific force in the world frame (forward, left, up: gravity
 * 9.81 plus body acceleration), rotates it by the thigh's flexion and roll into the thigh frame
 * (lateral, long axis, front normal), adds the swinging thigh's tangential and centripetal
 * acceleration at the pocket (0.03-0.07 m from the hip), rotates into the phone frame with the
 * user's pocket orientation, adds a per-axis bias (+/-0.15) and Gaussian noise and clips to
 * +/-19.6 m/s^2 (2 g, as the real phones did).
 * <ul>
 * <li><b>Per user</b>: phone orientation (of every six users four carry it upright, one sideways with
 *     gravity along +/-x, one upside down, see {@link #carriage}; screen in or out; tilted 10-40
 *     degrees about a random axis, twisted +/-35 degrees),
 *     noise sd 0.08-0.48 (most near the low end), amplitude scale 0.7-1.3, walking cadence 1.6-2.1
 *     steps/s, jogging 2.4-3.0, and a personal stride waveform (harmonics 1-6 of the stride with
 *     random weights and phases; impact pulses timed near the pocket leg's largest flexion).</li>
 * <li><b>Walking</b>: vertical wave (fundamental = step frequency, 2nd and 3rd harmonics, a little
 *     stride asymmetry) blended with a sharp impact pulse (weight 0.1-0.4), half peak-to-peak
 *     3.5-5.5 x scale; forward 0.6-1.4 and lateral 0.3-0.9 x scale; thigh swing +/-12-22 degrees;
 *     pauses of 1-2.5 s about every 25 s.</li>
 * <li><b>Jogging</b>: impact pulse ({@code exp(k(cos-1))}, k 1.2-1.8) with mean g, from near free fall
 *     (0.05-0.25 g) to 2-3 g peaks (clipped); thigh swing +/-18-28 degrees.</li>
 * <li><b>Upstairs</b>: the user's walking with cadence x0.75-0.90, vertical x1.1-1.4, softer impacts,
 *     thigh swing x1.2-1.5 and 8-15 degrees more flexion (gravity tilts forward).
 *     <b>Downstairs</b>: cadence x1.0-1.15, vertical x1.1-1.4, impact weight +0.35-0.6, per-step
 *     amplitude sd 15-30 % (walking 4-10 %), less thigh swing. Both have level "landings" of
 *     1.5-3 s about every 10 s where the gait blends into the user's walking: the ranges overlap
 *     walking across users on purpose.</li>
 * <li><b>Standing</b>: thigh -5..8 degrees from vertical, angular sway 0.5-2 degrees, slow weight
 *     shifts 1-3 degrees, linear sway 0.08-0.25 m/s^2. <b>Sitting</b>: thigh 70-100 degrees (near
 *     horizontal: gravity moves to the phone's z axis), drift 0.1-1 degrees, linear 0.01-0.05.
 *     Every sixth user ({@link #hardPosture}) sits perched at 40-55 degrees, stands at 5-15 and
 *     fidgets as much sitting as standing, so their two postures look alike.</li>
 * <li><b>Per block</b>: the phone sits a little differently (extra rotation, sd 4 degrees), cadence
 *     and amplitude drift as Ornstein-Uhlenbeck processes (sd 3 % / 8 %, 8 s / 4 s), random start
 *     phase.</li>
 * </ul>
 * The result: mean magnitude about g in every block (jogging highest, up to about +0.9), magnitude
 * sd about 7 (jogging), 3 (walking and stairs), 0.3 (standing), 0.2 (sitting).
 *
 * <h2>Determinism</h2>
 * Every random choice comes from a {@link SplittableRandom} seeded from the spec's seed, the user
 * id and the block, so the same spec gives byte-identical output (on the same Java feature
 * release: JDK 19 changed {@code Float.toString} for a few values), and a user's data does not
 * depend on how many users are written.
 */
public final class SyntheticGenerator {

    /** The six WISDM v1.1 activities, in the data set's canonical order. */
    public static final List<String> ACTIVITIES =
            List.of("Walking", "Jogging", "Upstairs", "Downstairs", "Sitting", "Standing");

    static final int WALKING = 0;
    static final int JOGGING = 1;
    static final int UPSTAIRS = 2;
    static final int DOWNSTAIRS = 3;
    static final int SITTING = 4;
    static final int STANDING = 5;

    /** Standard gravity as the model uses it, m/s^2. */
    static final double G = 9.81;
    /** The real sensors saturate at 2 g. */
    static final double CLIP = 19.6;
    /** Shortest and longest pause between two blocks of one user, ms. */
    static final long MIN_GAP_MS = 5_000;
    static final long MAX_GAP_MS = 30_000;

    private static final double DEG = Math.PI / 180;
    private static final double TWO_PI = 2 * Math.PI;
    private static final int FLUSH_AT = 1 << 16;

    // Independent random streams per user.
    private static final long STREAM_PROFILE = 1;
    private static final long STREAM_SCHEDULE = 2;
    private static final long STREAM_BLOCK = 3;

    private final SyntheticSpec spec;

    public SyntheticGenerator(SyntheticSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    public SyntheticSpec spec() {
        return spec;
    }

    /** Lines (samples) {@link #write(Writer)} produces: users x 6 x samples per activity. */
    public long sampleCount() {
        return (long) spec.users() * ACTIVITIES.size() * spec.samplesPerActivity();
    }

    /**
     * Writes the whole data set to {@code file}, gzip-compressed when the name ends in {@code .gz}.
     * Missing parent directories are created; an existing file is replaced.
     */
    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        boolean gzip = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream os = gzip ? new GZIPOutputStream(raw, FLUSH_AT) : new BufferedOutputStream(raw, FLUSH_AT);
             Writer w = new OutputStreamWriter(os, StandardCharsets.US_ASCII)) {
            write(w);
        }
    }

    /**
     * Streams the data set to {@code out} in chunks of about 64 KiB (never the whole text in memory)
     * and flushes it; {@code out} is not closed.
     */
    public void write(Writer out) throws IOException {
        StringBuilder buf = new StringBuilder(FLUSH_AT + 256);
        for (int user = 1; user <= spec.users(); user++) {
            writeUser(user, out, buf);
        }
        if (buf.length() > 0) {
            out.append(buf);
        }
        out.flush();
    }

    private void writeUser(int user, Writer out, StringBuilder buf) throws IOException {
        UserProfile profile = new UserProfile(rng(spec.seed(), user, STREAM_PROFILE, 0),
                carriage(spec.seed(), user), hardPosture(spec.seed(), user));
        SplittableRandom schedule = rng(spec.seed(), user, STREAM_SCHEDULE, 0);

        int blocks = spec.blocksPerActivity();
        int perActivity = spec.samplesPerActivity();
        int[] order = new int[ACTIVITIES.size() * blocks]; // activity * blocks + part
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = schedule.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }

        long stepNs = spec.sampleStepNanos();
        double dt = 1.0 / spec.sampleRateHz();
        long startMs = 1_800_000L + schedule.nextLong(198_000_000L); // 0.5 h .. 55.5 h of uptime
        long t = startMs * 1_000_000L;
        String prefix = user + ",";
        double[] xyz = new double[3];

        for (int k = 0; k < order.length; k++) {
            int activity = order[k] / blocks;
            int part = order[k] % blocks;
            int n = perActivity / blocks + (part < perActivity % blocks ? 1 : 0);
            BlockSynth synth = new BlockSynth(profile, activity,
                    rng(spec.seed(), user, STREAM_BLOCK, order[k]), dt);
            String linePrefix = prefix + ACTIVITIES.get(activity) + ",";
            for (int i = 0; i < n; i++) {
                synth.next(xyz);
                buf.append(linePrefix).append(t).append(',')
                        .append((float) xyz[0]).append(',')
                        .append((float) xyz[1]).append(',')
                        .append((float) xyz[2]).append(";\n");
                if (buf.length() >= FLUSH_AT) {
                    out.append(buf);
                    buf.setLength(0);
                }
                if (i < n - 1) {
                    t += stepNs;
                }
            }
            t += (MIN_GAP_MS + schedule.nextLong(MAX_GAP_MS - MIN_GAP_MS + 1)) * 1_000_000L;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Random helpers

    static final int UPRIGHT = 0;
    static final int SIDEWAYS = 1;
    static final int UPSIDE_DOWN = 2;

    /**
     * How a user carries the phone: of every six consecutive user ids (which ones depends on the
     * seed) one carries it sideways, one upside down and four upright, so a held-out user with an
     * unusual carriage usually has a counterpart among the training users.
     */
    static int carriage(long seed, int user) {
        int slot = (int) Math.floorMod(user + mix64(seed ^ 0x0C0A_55E5L), 6L);
        return slot == 0 ? SIDEWAYS : slot == 3 ? UPSIDE_DOWN : UPRIGHT;
    }

    /**
     * Every sixth user (which ones depends on the seed) sits perched, thigh 40-55 degrees below
     * horizontal, and fidgets as much as when standing: their sitting and standing look alike.
     */
    static boolean hardPosture(long seed, int user) {
        return Math.floorMod(user + mix64(seed ^ 0x4A5D_1B3CL), 6) == 0;
    }

    static SplittableRandom rng(long seed, long user, long stream, long index) {
        long h = mix64(seed ^ 0x5DEECE66DL);
        h = mix64(h + user * 0x9E3779B97F4A7C15L);
        h = mix64(h + stream * 0xC2B2AE3D27D4EB4FL);
        h = mix64(h + index * 0x165667B19E3779F9L);
        return new SplittableRandom(h);
    }

    /** Stafford's variant 13 of the MurmurHash3 finalizer. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    // ---------------------------------------------------------------------------------------------
    // The model

    /** Parameters of one periodic locomotion (walking, jogging, stairs, a pause while walking). */
    static final class Gait {
        double stepHz;       // steps per second (a stride is two steps)
        double ampV;         // vertical body acceleration, ~half peak-to-peak, m/s^2
        double ampF;         // forward
        double ampL;         // lateral
        double impact;       // 0..1: weight of the sharp impact pulse against the smooth harmonic wave
        double thighAmp;     // thigh swing amplitude, rad
        double thighMean;    // mean thigh flexion, rad (0 = vertical)
        double rollAmp;      // hip roll amplitude, rad
        double stepVar;      // log-sd of the per-step amplitude multiplier

        Gait copy() {
            Gait g = new Gait();
            g.set(this);
            return g;
        }

        void set(Gait o) {
            stepHz = o.stepHz;
            ampV = o.ampV;
            ampF = o.ampF;
            ampL = o.ampL;
            impact = o.impact;
            thighAmp = o.thighAmp;
            thighMean = o.thighMean;
            rollAmp = o.rollAmp;
            stepVar = o.stepVar;
        }

        void lerp(Gait a, Gait b, double w) {
            stepHz = a.stepHz + (b.stepHz - a.stepHz) * w;
            ampV = a.ampV + (b.ampV - a.ampV) * w;
            ampF = a.ampF + (b.ampF - a.ampF) * w;
            ampL = a.ampL + (b.ampL - a.ampL) * w;
            impact = a.impact + (b.impact - a.impact) * w;
            thighAmp = a.thighAmp + (b.thighAmp - a.thighAmp) * w;
            thighMean = a.thighMean + (b.thighMean - a.thighMean) * w;
            rollAmp = a.rollAmp + (b.rollAmp - a.rollAmp) * w;
            stepVar = a.stepVar + (b.stepVar - a.stepVar) * w;
        }
    }

    /** Static posture: thigh angles and sway levels. */
    static final class Posture {
        double flexion;      // thigh flexion, rad (standing ~0, sitting ~90 deg)
        double roll;         // sideways lean, rad
        double swayAngle;    // sd of fast angular sway, rad (tau 2 s)
        double shiftAngle;   // sd of slow weight shifts / drift, rad (tau 12 s)
        double swayLin;      // sd of small linear accelerations, m/s^2 (tau 0.4 s)
    }

    /** Everything that is fixed for one user. */
    static final class UserProfile {
        final double[] rot;          // thigh frame (lat, long, normal) -> phone frame (x, y, z), row-major
        final double noise;          // sensor noise sd per axis, m/s^2
        final double[] bias = new double[3];
        final double lever;          // pocket distance from the hip, m
        final boolean hardPosture;   // sitting and standing look alike

        // personal waveform: harmonics of the stride phase
        final double v1, v2, v3, pv1, pv2, pv3, vNorm;   // vertical: stride, 2nd and 3rd step harmonics
        final double f1, pf, pf1;                         // forward
        final double l2, pl, pl2;                         // lateral
        final double h2, pa, pa2, pr;                     // thigh swing 2nd harmonic, phases; roll phase
        final double pp;                                  // impact pulse phase
        final double dv;                                  // phase shift of the vertical wave
        final double kWalk, kJog;                         // pulse sharpness
        final double pulseMeanWalk, pulseNormWalk, pulseMeanJog, pulseNormJog;

        final Gait walk, jog, up, down, pause;
        final Posture sit = new Posture();
        final Posture stand = new Posture();

        UserProfile(SplittableRandom r, int carriage, boolean hardPosture) {
            this.hardPosture = hardPosture;
            // Phone orientation in the pocket.
            // rotation about the phone's z axis: 0 upright, 1 or 3 sideways (gravity along -x or +x), 2 upside down
            int quarter = carriage == SIDEWAYS ? (r.nextBoolean() ? 1 : 3) : carriage == UPSIDE_DOWN ? 2 : 0;
            boolean screenIn = r.nextBoolean();
            double tilt = uniform(r, 10, 40) * DEG;
            double tiltAxis = r.nextDouble() * TWO_PI;
            double twist = uniform(r, -35, 35) * DEG;
            double[] m = Rotations.aboutY(twist);
            m = Rotations.multiply(Rotations.axisAngle(Math.cos(tiltAxis), 0, Math.sin(tiltAxis), tilt), m);
            if (screenIn) {
                m = Rotations.multiply(Rotations.aboutY(Math.PI), m);
            }
            rot = Rotations.multiply(Rotations.aboutZ(quarter * Math.PI / 2), m);

            // Sensor.
            double u = r.nextDouble();
            noise = 0.08 + 0.4 * u * u; // 0.08 .. 0.48, most phones at the quiet end
            for (int i = 0; i < 3; i++) {
                bias[i] = uniform(r, -0.15, 0.15);
            }
            lever = uniform(r, 0.03, 0.07);

            // Personal waveform.
            v1 = uniform(r, 0.05, 0.3);
            v2 = uniform(r, 0.15, 0.5);
            v3 = uniform(r, 0.0, 0.25);
            pv1 = r.nextDouble() * TWO_PI;
            pv2 = r.nextDouble() * TWO_PI;
            pv3 = r.nextDouble() * TWO_PI;
            vNorm = halfPeakToPeak(v1, pv1, v2, pv2, v3, pv3);
            f1 = uniform(r, 0.2, 0.6);
            pf = r.nextDouble() * TWO_PI;
            pf1 = r.nextDouble() * TWO_PI;
            l2 = uniform(r, 0.0, 0.3);
            pl = r.nextDouble() * TWO_PI;
            pl2 = r.nextDouble() * TWO_PI;
            h2 = uniform(r, 0.0, 0.35);
            pa = r.nextDouble() * TWO_PI;
            pa2 = r.nextDouble() * TWO_PI;
            pr = r.nextDouble() * TWO_PI;
            // The pocket leg's heel strike comes near its largest flexion (the other leg's near the
            // largest extension): the impact pulse peaks at 2 theta + pp = 0, the wave follows it.
            pp = 2 * pa - Math.PI + 0.5 * r.nextGaussian();
            dv = pp / 2 + 0.25 * r.nextGaussian();
            kWalk = uniform(r, 1.5, 3.0);
            kJog = uniform(r, 1.2, 1.8);
            pulseMeanWalk = pulseMean(kWalk);
            pulseNormWalk = (1 - Math.exp(-2 * kWalk)) / 2;
            pulseMeanJog = pulseMean(kJog);
            pulseNormJog = (1 - Math.exp(-2 * kJog)) / 2;

            // Postures.
            double ampScale = uniform(r, 0.7, 1.3);
            stand.flexion = (hardPosture ? uniform(r, 5, 15) : uniform(r, -5, 8)) * DEG;
            stand.roll = uniform(r, -6, 6) * DEG;
            stand.swayAngle = uniform(r, 0.5, 2.0) * DEG;
            stand.shiftAngle = uniform(r, 1.0, 3.0) * DEG;
            stand.swayLin = uniform(r, 0.08, 0.25);
            sit.flexion = (hardPosture ? uniform(r, 40, 55) : uniform(r, 70, 100)) * DEG;
            sit.roll = uniform(r, -15, 15) * DEG;
            if (hardPosture) { // restless sitter: sways as much as standing
                sit.swayAngle = stand.swayAngle * uniform(r, 0.8, 1.2);
                sit.shiftAngle = stand.shiftAngle * uniform(r, 0.8, 1.2);
                sit.swayLin = stand.swayLin * uniform(r, 0.7, 1.1);
            } else {
                sit.swayAngle = uniform(r, 0.1, 0.6) * DEG;
                sit.shiftAngle = uniform(r, 0.3, 1.0) * DEG;
                sit.swayLin = uniform(r, 0.01, 0.05);
            }

            // Gaits. Stairs overlap walking on purpose.
            walk = new Gait();
            walk.stepHz = uniform(r, 1.6, 2.1);
            walk.ampV = uniform(r, 3.5, 5.5) * ampScale;
            walk.ampF = uniform(r, 0.6, 1.4) * ampScale;
            walk.ampL = uniform(r, 0.3, 0.9) * ampScale;
            walk.impact = uniform(r, 0.1, 0.4);
            walk.thighAmp = uniform(r, 12, 22) * DEG;
            walk.thighMean = stand.flexion + uniform(r, 2, 8) * DEG;
            walk.rollAmp = uniform(r, 1, 4) * DEG;
            walk.stepVar = uniform(r, 0.04, 0.10);

            up = walk.copy();
            up.stepHz = walk.stepHz * uniform(r, 0.75, 0.88);
            up.ampV = walk.ampV * uniform(r, 1.1, 1.4);
            up.ampF = walk.ampF * uniform(r, 0.6, 0.9);
            up.ampL = walk.ampL * uniform(r, 0.9, 1.3);
            up.impact = walk.impact * uniform(r, 0.2, 0.5);
            up.thighAmp = walk.thighAmp * uniform(r, 1.3, 1.6);
            up.thighMean = walk.thighMean + uniform(r, 10, 18) * DEG;
            up.rollAmp = walk.rollAmp * uniform(r, 1.0, 1.3);
            up.stepVar = uniform(r, 0.06, 0.14);

            down = walk.copy();
            down.stepHz = walk.stepHz * uniform(r, 1.03, 1.18);
            down.ampV = walk.ampV * uniform(r, 1.15, 1.45);
            down.ampF = walk.ampF * uniform(r, 0.8, 1.3);
            down.ampL = walk.ampL * uniform(r, 0.9, 1.4);
            down.impact = Math.min(1, walk.impact + uniform(r, 0.45, 0.7));
            down.thighAmp = walk.thighAmp * uniform(r, 0.6, 0.85);
            down.thighMean = walk.thighMean + uniform(r, 0, 5) * DEG;
            down.rollAmp = walk.rollAmp * uniform(r, 1.0, 1.4);
            down.stepVar = uniform(r, 0.18, 0.32);

            jog = new Gait();
            jog.stepHz = uniform(r, 2.4, 3.0);
            // vertical: mean g, nearly free fall (reading (1 - c) g) between impacts
            jog.ampV = uniform(r, 0.75, 0.95) * G * pulseNormJog / pulseMeanJog;
            jog.ampF = uniform(r, 1.0, 2.2) * ampScale;
            jog.ampL = uniform(r, 0.8, 2.0) * ampScale;
            jog.impact = uniform(r, 0.75, 1.0);
            jog.thighAmp = uniform(r, 16, 25) * DEG;
            jog.thighMean = stand.flexion + uniform(r, 8, 15) * DEG;
            jog.rollAmp = uniform(r, 2, 6) * DEG;
            jog.stepVar = uniform(r, 0.05, 0.12);

            pause = walk.copy(); // standing still for a moment mid-walk
            pause.ampV *= 0.08;
            pause.ampF *= 0.08;
            pause.ampL *= 0.08;
            pause.thighAmp *= 0.1;
            pause.thighMean = stand.flexion;
            pause.rollAmp *= 0.2;
        }

        Gait gait(int activity) {
            return switch (activity) {
                case WALKING -> walk;
                case JOGGING -> jog;
                case UPSTAIRS -> up;
                case DOWNSTAIRS -> down;
                default -> throw new IllegalArgumentException("not a gait: " + activity);
            };
        }

        private static double halfPeakToPeak(double v1, double p1, double v2, double p2, double v3, double p3) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < 720; i++) {
                double th = TWO_PI * i / 720;
                double v = v1 * Math.cos(th + p1) + Math.cos(2 * th) + v2 * Math.cos(4 * th + p2) + v3 * Math.cos(6 * th + p3);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            return (max - min) / 2;
        }

        /** Mean of exp(k (cos(phi) - 1)) over a period: exp(-k) I0(k). */
        private static double pulseMean(double k) {
            double term = 1;
            double sum = 1;
            double h = k * k / 4;
            for (int m = 1; m < 40; m++) {
                term *= h / ((double) m * m);
                sum += term;
            }
            return Math.exp(-k) * sum;
        }
    }

    /** Generates one block, sample by sample. */
    static final class BlockSynth {
        private final UserProfile p;
        private final int activity;
        private final SplittableRandom r;
        private final double dt;
        private final double[] rot;

        // locomotion
        private final Gait base;
        private final Gait alt;       // what an event blends toward (pause or stair landing), or null
        private final double eventMeanGap;
        private final double eventMinLen;
        private final double eventMaxLen;
        private final Gait cur = new Gait();
        private double theta;
        private double cadence;       // log cadence deviation (OU, sd 0.03, tau 8 s)
        private double amp;           // log amplitude deviation (OU, sd 0.08, tau 4 s)
        private long stepIndex;
        private double stepPrev;
        private double stepNext;
        private double lambda;        // 0..1 progress into an event
        private boolean inEvent;
        private double eventClock;    // seconds until the event starts or ends

        // posture
        private final Posture posture;
        private double swayA;
        private double shiftA;
        private double swayB;
        private final double[] lin = new double[3];

        BlockSynth(UserProfile p, int activity, SplittableRandom r, double dt) {
            this.p = p;
            this.activity = activity;
            this.r = r;
            this.dt = dt;
            // The phone sits a little differently in the pocket every time.
            double ax = r.nextGaussian();
            double ay = r.nextGaussian();
            double az = r.nextGaussian();
            double norm = Math.sqrt(ax * ax + ay * ay + az * az) + 1e-12;
            this.rot = Rotations.multiply(p.rot,
                    Rotations.axisAngle(ax / norm, ay / norm, az / norm, 4 * DEG * r.nextGaussian()));

            if (activity == SITTING || activity == STANDING) {
                posture = activity == SITTING ? p.sit : p.stand;
                swayA = posture.swayAngle * r.nextGaussian();
                shiftA = posture.shiftAngle * r.nextGaussian();
                swayB = posture.swayAngle * r.nextGaussian();
                for (int i = 0; i < 3; i++) {
                    lin[i] = posture.swayLin * r.nextGaussian();
                }
                base = null;
                alt = null;
                eventMeanGap = eventMinLen = eventMaxLen = 0;
            } else {
                posture = null;
                base = p.gait(activity);
                switch (activity) {
                    case WALKING -> {
                        alt = p.pause;
                        eventMeanGap = 25;
                        eventMinLen = 1.0;
                        eventMaxLen = 2.5;
                    }
                    case UPSTAIRS, DOWNSTAIRS -> { // landings between flights: a few level steps
                        alt = p.walk;
                        eventMeanGap = 15;
                        eventMinLen = 1.5;
                        eventMaxLen = 2.5;
                    }
                    default -> {
                        alt = null;
                        eventMeanGap = eventMinLen = eventMaxLen = 0;
                    }
                }
                theta = r.nextDouble() * TWO_PI;
                cadence = 0.03 * r.nextGaussian();
                amp = 0.08 * r.nextGaussian();
                stepIndex = (long) Math.floor(theta / Math.PI);
                stepPrev = Math.exp(base.stepVar * r.nextGaussian());
                stepNext = Math.exp(base.stepVar * r.nextGaussian());
                if (alt != null) {
                    eventClock = -eventMeanGap * Math.log(1 - r.nextDouble());
                }
            }
        }

        void next(double[] out) {
            double fF;
            double fL;
            double fU;
            double flex;
            double roll;
            double tangential = 0;
            double centripetal = 0;
            if (posture != null) {
                swayA = ou(swayA, posture.swayAngle, 2.0);
                shiftA = ou(shiftA, posture.shiftAngle, 12.0);
                swayB = ou(swayB, posture.swayAngle, 2.0);
                for (int i = 0; i < 3; i++) {
                    lin[i] = ou(lin[i], posture.swayLin, 0.4);
                }
                flex = posture.flexion + swayA + shiftA;
                roll = posture.roll + swayB;
                fF = lin[0];
                fL = lin[1];
                fU = G + lin[2];
            } else {
                Gait g = base;
                if (alt != null) {
                    advanceEvent();
                    double w = lambda * lambda * (3 - 2 * lambda);
                    cur.lerp(base, alt, w);
                    g = cur;
                }
                cadence = ou(cadence, 0.03, 8.0);
                amp = ou(amp, 0.08, 4.0);
                double stepHz = g.stepHz * Math.exp(cadence);
                theta += Math.PI * stepHz * dt; // stride phase: one stride = two steps
                long idx = (long) Math.floor(theta / Math.PI);
                if (idx != stepIndex) {
                    stepIndex = idx;
                    stepPrev = stepNext;
                    stepNext = Math.exp(g.stepVar * r.nextGaussian());
                }
                double frac = theta / Math.PI - idx;
                double a = Math.exp(amp);
                double m = a * (stepPrev + (stepNext - stepPrev) * frac);
                if (theta > 1e4) { // keep the phase small; shifts by whole strides
                    double k = Math.floor(theta / TWO_PI) * TWO_PI;
                    theta -= k;
                    stepIndex = (long) Math.floor(theta / Math.PI);
                }
                double th = theta;

                double tw = th + p.dv;
                double wave = (p.v1 * Math.cos(tw + p.pv1) + Math.cos(2 * tw) + p.v2 * Math.cos(4 * tw + p.pv2)
                        + p.v3 * Math.cos(6 * tw + p.pv3)) / p.vNorm;
                boolean jogging = activity == JOGGING;
                double k = jogging ? p.kJog : p.kWalk;
                double pulse = (Math.exp(k * (Math.cos(2 * th + p.pp) - 1)) - (jogging ? p.pulseMeanJog : p.pulseMeanWalk))
                        / (jogging ? p.pulseNormJog : p.pulseNormWalk);
                double aU = g.ampV * m * ((1 - g.impact) * wave + g.impact * pulse);
                double aF = g.ampF * m * (Math.cos(2 * th + p.pf) + p.f1 * Math.cos(th + p.pf1));
                double aL = g.ampL * m * (Math.cos(th + p.pl) + p.l2 * Math.cos(2 * th + p.pl2));

                double omega = Math.PI * stepHz; // stride angular frequency
                double s1 = Math.sin(th + p.pa);
                double s2 = Math.sin(2 * th + p.pa2);
                double swing = g.thighAmp * a;
                flex = g.thighMean + swing * (s1 + p.h2 * s2);
                double rate = swing * omega * (Math.cos(th + p.pa) + 2 * p.h2 * Math.cos(2 * th + p.pa2));
                double accel = -swing * omega * omega * (s1 + 4 * p.h2 * s2);
                tangential = p.lever * accel;
                centripetal = p.lever * rate * rate;
                roll = g.rollAmp * Math.sin(th + p.pr);
                fF = aF;
                fL = aL;
                fU = G + aU;
            }

            // world (forward, left, up) -> thigh (lateral, long axis toward the hip, front normal)
            double cr = Math.cos(roll);
            double sr = Math.sin(roll);
            double lat = fL * cr + fU * sr;
            double up = -fL * sr + fU * cr;
            double cf = Math.cos(flex);
            double sf = Math.sin(flex);
            double lon = up * cf - fF * sf + centripetal;
            double nrm = fF * cf + up * sf + tangential;

            double[] m = rot;
            double n = p.noise;
            out[0] = clip(m[0] * lat + m[1] * lon + m[2] * nrm + p.bias[0] + n * r.nextGaussian());
            out[1] = clip(m[3] * lat + m[4] * lon + m[5] * nrm + p.bias[1] + n * r.nextGaussian());
            out[2] = clip(m[6] * lat + m[7] * lon + m[8] * nrm + p.bias[2] + n * r.nextGaussian());
        }

        private void advanceEvent() {
            eventClock -= dt;
            if (eventClock <= 0) {
                inEvent = !inEvent;
                eventClock = inEvent
                        ? uniform(r, eventMinLen, eventMaxLen)
                        : -eventMeanGap * Math.log(1 - r.nextDouble());
            }
            double target = inEvent ? 1 : 0;
            double stepSize = dt / 0.7; // ramps take 0.7 s
            lambda = lambda < target ? Math.min(target, lambda + stepSize) : Math.max(target, lambda - stepSize);
        }

        /** One Ornstein-Uhlenbeck step with stationary sd {@code sd} and time constant {@code tau}. */
        private double ou(double x, double sd, double tau) {
            double decay = Math.exp(-dt / tau);
            return x * decay + sd * Math.sqrt(1 - decay * decay) * r.nextGaussian();
        }

        private static double clip(double v) {
            return v > CLIP ? CLIP : v < -CLIP ? -CLIP : v;
        }
    }
}
