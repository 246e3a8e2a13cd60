package io.harstream.simulator;

/**
 * When events are sent. Event timestamps always keep the recorded spacing (20 Hz data stays 20 Hz in
 * {@code ts}, which the stream-app's gap rule relies on); only the sending is paced.
 *
 * @param speed            1 = real time, 10 = ten times faster; ignored with {@code asFastAsPossible}
 * @param asFastAsPossible send everything at once, still in event-time order
 * @param loop             replay the whole set again after each pass, until stopped
 * @param staggerMs        devices' first samples are spread evenly over this span, so that they do not all
 *                         complete their windows in the same instant
 * @param maxRate          global cap in events per second (bad events included), 0 for none
 */
public record Pacing(double speed, boolean asFastAsPossible, boolean loop, long staggerMs, double maxRate) {

    /** Real time, one pass, devices spread over a second, no cap. */
    public static final Pacing REAL_TIME = new Pacing(1, false, false, 1_000, 0);

    public Pacing {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be a positive number, got " + speed);
        }
        if (staggerMs < 0) {
            throw new IllegalArgumentException("stagger must not be negative, got " + staggerMs + " ms");
        }
        if (!(maxRate >= 0) || Double.isInfinite(maxRate)) {
            throw new IllegalArgumentException("maximum rate must be a positive number of events/s, got " + maxRate);
        }
    }
}
