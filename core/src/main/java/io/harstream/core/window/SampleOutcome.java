package io.harstream.core.window;

/** What the segmenter did with one sample. */
public enum SampleOutcome {
    /** Appended to the device's current series. */
    APPENDED,
    /** Timestamps jumped forward by more than the maximum gap: the series restarted with this sample. */
    RESTARTED_AFTER_GAP,
    /** The timestamp went back (out of order, or a clock reset): the series restarted with this sample. */
    RESTARTED_AFTER_STEP_BACK,
    /** Same timestamp and values as the previous sample: ignored, so no window is classified twice. */
    DUPLICATE
}
