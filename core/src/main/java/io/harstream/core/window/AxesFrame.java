package io.harstream.core.window;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Which axes a device's windows are read in before the network's channels are computed from them. The
 * bundle records it, so the trainer and the stream-app turn windows the same way.
 */
public enum AxesFrame {
    /** The phone's own axes, as recorded. */
    PHONE,
    /** The device's {@link WalkingFrame}: turned so that gravity while it moves points along +y. */
    WALKING;

    /** The name in the bundle and on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AxesFrame fromId(String id) {
        for (AxesFrame f : values()) {
            if (f.id().equalsIgnoreCase(id.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown axes frame '" + id + "' (known: "
                + Arrays.stream(values()).map(AxesFrame::id).collect(Collectors.joining(", ")) + ")");
    }

    /**
     * A fresh turner for one device (or one person offline): give it the device's windows in the order the
     * segmenter completed them, as the stream-app does window by window.
     */
    public UnaryOperator<Window> forDevice() {
        return this == PHONE ? UnaryOperator.identity() : new WalkingFrame()::turn;
    }
}
