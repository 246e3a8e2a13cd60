package io.harstream.core.lstm;

/**
 * The network is not of the one shape the engine implements (see {@link LstmNetworkWeights}); the caller should
 * use DL4J instead. {@link #difference()} says which part differs, the message also who refused it
 * ({@link LstmForward#NAME}, {@link LstmBackprop#NAME}), so that a caller words its refusal from the typed parts
 * instead of rewriting another's message.
 */
public final class UnsupportedNetworkException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String difference;

    /**
     * @param refusedBy  what cannot run the network, the subject of the message, e.g. {@link LstmForward#NAME}
     * @param difference what differs from the supported shape, e.g. "layer 0 must be a DenseLayer, got ..."
     */
    public UnsupportedNetworkException(String refusedBy, String difference) {
        super(refusedBy + " does not support this network: " + difference);
        this.difference = difference;
    }

    /** What differs from the supported shape, without the subject. */
    public String difference() {
        return difference;
    }
}
