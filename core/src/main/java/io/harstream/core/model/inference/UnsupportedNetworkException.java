package io.harstream.core.model.inference;

/**
 * The network is not of the one shape the fast inference path implements (see
 * {@link LstmNetworkWeights}); the caller should classify with DL4J instead. The message says which
 * part differs.
 */
public final class UnsupportedNetworkException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnsupportedNetworkException(String message) {
        super(message);
    }
}
