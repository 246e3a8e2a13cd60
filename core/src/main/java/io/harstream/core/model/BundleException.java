package io.harstream.core.model;

/** A model bundle that is missing, unreadable or cannot be honoured; the message says which file and why. */
public final class BundleException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
