package io.harstream.trainer;

import io.harstream.core.window.Window;

/**
 * A window with where it came from.
 *
 * @param user      the person (WISDM subject) it was recorded from
 * @param recording index of its recording in the dataset, to write the test set back out in order
 * @param window    the samples and the majority label
 */
public record LabeledWindow(String user, int recording, Window window) {

    public int label() {
        return window.label();
    }
}
