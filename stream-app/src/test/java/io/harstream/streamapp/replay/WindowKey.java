package io.harstream.streamapp.replay;

/** Identifies one classified window: what "exactly once" is counted over. */
public record WindowKey(String device, long windowStart) implements Comparable<WindowKey> {

    @Override
    public int compareTo(WindowKey o) {
        int c = device.compareTo(o.device);
        return c != 0 ? c : Long.compare(windowStart, o.windowStart);
    }
}
