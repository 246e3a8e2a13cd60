package io.harstream.streamapp.replay;

import io.harstream.core.data.Recording;
import io.harstream.core.data.Sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Small labelled recordings for the stream-app's tests, already in epoch milliseconds at 20 Hz: each
 * activity has its own frequency and amplitude so that a briefly trained tiny network tells them apart
 * (mostly), and some recordings switch activity midway or have a gap, so windows with mixed labels and
 * series restarts occur as in real data.
 */
public final class SyntheticRecordings {

    public static final long EPOCH_BASE_MS = 1_764_000_000_000L;
    public static final long PERIOD_MS = 50;

    private SyntheticRecordings() {
    }

    /**
     * @param recordings how many recordings (users)
     * @param samples    samples per recording
     */
    public static List<Recording> generate(List<String> classes, int recordings, int samples, long seed) {
        Random random = new Random(seed);
        List<Recording> out = new ArrayList<>();
        for (int r = 0; r < recordings; r++) {
            List<Sample> list = new ArrayList<>(samples);
            // Recordings start at different times so that their events interleave rather than line up.
            long ts = EPOCH_BASE_MS + random.nextInt(2_000) * PERIOD_MS / 10;
            int activity = random.nextInt(classes.size());
            boolean switches = r % 3 == 1;
            boolean gap = r % 4 == 2;
            for (int i = 0; i < samples; i++) {
                if (switches && i == samples / 2) {
                    activity = (activity + 1) % classes.size();
                }
                if (gap && i == samples / 3) {
                    ts += 5_000;
                }
                double t = i * PERIOD_MS / 1000.0;
                double f = 0.5 + activity * 0.7;
                double a = 1 + activity * 1.5;
                float x = (float) (a * Math.sin(2 * Math.PI * f * t) + random.nextGaussian() * 0.3);
                float y = (float) (9.8 + a * Math.cos(2 * Math.PI * f * t) * 0.5 + random.nextGaussian() * 0.3);
                float z = (float) (activity - 2.5 + random.nextGaussian() * 0.3);
                list.add(new Sample(ts, x, y, z, classes.get(activity)));
                ts += PERIOD_MS;
            }
            out.add(new Recording("u" + r, list));
        }
        return out;
    }

    /**
     * The recordings, each followed by one more window of unlabelled samples {@code pauseMs} after its last sample:
     * a pause longer than the smoother's gap limit restarts each device's smoother, so every earlier window's
     * fixed-lag label becomes final (what a device that went quiet gets when it comes back), and only that last
     * window's label stays waiting.
     */
    public static List<Recording> closedByAPause(List<Recording> recordings, int windowLength, long pauseMs) {
        List<Recording> out = new ArrayList<>();
        Random random = new Random(7);
        for (Recording r : recordings) {
            List<Sample> list = new ArrayList<>(r.samples());
            long ts = list.get(list.size() - 1).timestampMs() + pauseMs;
            for (int i = 0; i < windowLength; i++) {
                list.add(new Sample(ts + i * PERIOD_MS, (float) random.nextGaussian(), 9.8f, 0f, null));
            }
            out.add(new Recording(r.user(), list));
        }
        return out;
    }
}
