package io.harstream.trainer;

/** A problem with the user's input that ends the run with a one-line message and exit code 2. */
public final class TrainerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TrainerException(String message) {
        super(message);
    }

    public TrainerException(String message, Throwable cause) {
        super(message, cause);
    }
}
