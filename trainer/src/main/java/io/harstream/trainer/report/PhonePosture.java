package io.harstream.trainer.report;

import io.harstream.core.window.Window;

import java.util.Collection;
import java.util.Locale;

/**
 * The mean acceleration of a set of windows (m/s^2), in the axes the network read them in: the phone's own,
 * or the person's walking frame (y their thigh's upright while moving). For the still activities
 * (sitting, standing) it is gravity, i.e. how the phone lay in the pocket: the cue that separates those two
 * activities, and the reason some people are hard. Most people's phone stands upright when they stand
 * (gravity along y) and lies flat or on its side when they sit; a person who carries it sideways, standing,
 * looks like someone else sitting, and for some people sitting and standing leave the phone in the same
 * position. The report shows it beside each person's most frequent confusion.
 *
 * @param windows how many windows were averaged
 */
public record PhonePosture(double x, double y, double z, int windows) {

    /** The mean over every sample of the windows, each window weighing the same (they have one length). */
    public static PhonePosture of(Collection<Window> windows) {
        double sx = 0;
        double sy = 0;
        double sz = 0;
        long samples = 0;
        for (Window w : windows) {
            for (int i = 0; i < w.length(); i++) {
                sx += w.x()[i];
                sy += w.y()[i];
                sz += w.z()[i];
            }
            samples += w.length();
        }
        if (samples == 0) {
            throw new IllegalArgumentException("no samples to average");
        }
        return new PhonePosture(sx / samples, sy / samples, sz / samples, windows.size());
    }

    /** The length of the vector: about 9.8 when the phone was still. */
    public double magnitude() {
        return Math.sqrt(x * x + y * y + z * z);
    }

    /** {@code x 9.4, y 1.6, z -1.8}: one decimal, as the report shows it. */
    public String describe() {
        return String.format(Locale.ROOT, "x %.1f, y %.1f, z %.1f", x, y, z);
    }
}
