package io.harstream.simulator;

/**
 * A problem the user can fix (a missing or empty test set, an unreachable broker, a bad option), said
 * in one line. The command prints the message without a stack trace and exits with 2.
 */
public final class SimulatorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SimulatorException(String message) {
        super(message);
    }

    public SimulatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
