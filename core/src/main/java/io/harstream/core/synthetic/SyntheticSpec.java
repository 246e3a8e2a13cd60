package io.harstream.core.synthetic;

/**
 * What {@link SyntheticGenerator} writes: how many users, how much of each activity, at which rate,
 * and the seed that makes it reproducible.
 *
 * <p>The output has {@code users x 6 x round(secondsPerActivity x sampleRateHz)} samples. Each
 * user's time for one activity is cut into {@code blocksPerActivity} equal contiguous blocks (the
 * first blocks take the remainder when it does not divide evenly); a user's blocks are written in
 * a seeded, shuffled order with a gap of 5 to 30 s between consecutive blocks.
 *
 * @param seed               every random choice derives from this (and the user id and block)
 * @param users              number of users, ids 1..users; at least 1
 * @param secondsPerActivity seconds of data per user and activity; finite and &gt; 0
 * @param sampleRateHz       samples per second (WISDM: 20); finite, &gt; 0 and at most 1000
 * @param blocksPerActivity  contiguous blocks each user's activity is split into (default 2); at
 *                           least 1 and at most the number of samples per activity
 */
public record SyntheticSpec(long seed, int users, double secondsPerActivity, double sampleRateHz,
                            int blocksPerActivity) {

    public static final long DEFAULT_SEED = 42L;
    public static final int DEFAULT_USERS = 12;
    public static final double DEFAULT_SECONDS_PER_ACTIVITY = 120.0;
    public static final double DEFAULT_SAMPLE_RATE_HZ = 20.0;
    public static final int DEFAULT_BLOCKS_PER_ACTIVITY = 2;

    public SyntheticSpec {
        if (users < 1) {
            throw new IllegalArgumentException("users must be >= 1, got " + users);
        }
        if (!(secondsPerActivity > 0) || Double.isInfinite(secondsPerActivity)) {
            throw new IllegalArgumentException("secondsPerActivity must be finite and > 0, got " + secondsPerActivity);
        }
        if (!(sampleRateHz > 0) || sampleRateHz > 1000) {
            throw new IllegalArgumentException("sampleRateHz must be in (0, 1000], got " + sampleRateHz);
        }
        if (blocksPerActivity < 1) {
            throw new IllegalArgumentException("blocksPerActivity must be >= 1, got " + blocksPerActivity);
        }
        double samples = Math.rint(secondsPerActivity * sampleRateHz);
        if (samples > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("secondsPerActivity x sampleRateHz is too large: " + samples);
        }
        if (samples < blocksPerActivity) {
            throw new IllegalArgumentException("secondsPerActivity x sampleRateHz = " + (long) samples
                    + " samples cannot fill " + blocksPerActivity + " blocks per activity");
        }
    }

    /** The same with the default {@value #DEFAULT_BLOCKS_PER_ACTIVITY} blocks per activity. */
    public SyntheticSpec(long seed, int users, double secondsPerActivity, double sampleRateHz) {
        this(seed, users, secondsPerActivity, sampleRateHz, DEFAULT_BLOCKS_PER_ACTIVITY);
    }

    /** Seed 42, 12 users, 120 s per activity, 20 Hz, 2 blocks per activity: 172,800 samples. */
    public static SyntheticSpec defaults() {
        return new SyntheticSpec(DEFAULT_SEED, DEFAULT_USERS, DEFAULT_SECONDS_PER_ACTIVITY,
                DEFAULT_SAMPLE_RATE_HZ, DEFAULT_BLOCKS_PER_ACTIVITY);
    }

    public SyntheticSpec withSeed(long newSeed) {
        return new SyntheticSpec(newSeed, users, secondsPerActivity, sampleRateHz, blocksPerActivity);
    }

    public SyntheticSpec withUsers(int newUsers) {
        return new SyntheticSpec(seed, newUsers, secondsPerActivity, sampleRateHz, blocksPerActivity);
    }

    public SyntheticSpec withSecondsPerActivity(double seconds) {
        return new SyntheticSpec(seed, users, seconds, sampleRateHz, blocksPerActivity);
    }

    public SyntheticSpec withBlocksPerActivity(int blocks) {
        return new SyntheticSpec(seed, users, secondsPerActivity, sampleRateHz, blocks);
    }

    /** Samples per user and activity, all blocks together: {@code round(secondsPerActivity x sampleRateHz)}. */
    public int samplesPerActivity() {
        return (int) Math.rint(secondsPerActivity * sampleRateHz);
    }

    /** Nanoseconds between consecutive samples of a block: {@code round(1e9 / sampleRateHz)} (20 Hz: 50,000,000). */
    public long sampleStepNanos() {
        return Math.round(1e9 / sampleRateHz);
    }
}
