package io.harstream.core.event;

/** An input record that is not a valid {@link SensorEvent}; carries the reason for the dead-letter header. */
public final class InvalidEventException extends Exception {

    private static final long serialVersionUID = 1L;

    private final RejectReason reason;

    public InvalidEventException(RejectReason reason, String detail) {
        super(reason.id() + ": " + detail);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
