package io.harstream.trainer;

/** Whether the bundle smooths its predictions over each device's windows ({@code --smoothing}). */
public enum Smoothing {
    /** No smoothing section: consumers serve the network's predictions as they are. */
    NONE,
    /** A hidden Markov model learned from the training people ({@link SmoothingFit}), run by core's ActivitySmoother. */
    HMM
}
