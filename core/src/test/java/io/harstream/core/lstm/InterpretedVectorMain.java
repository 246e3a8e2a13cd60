package io.harstream.core.lstm;

import java.util.Arrays;

/**
 * Run by {@link JitIndependenceTest} in a JVM started with {@code -Xint}: the Vector API path on the
 * weights of {@link NoVectorModuleMain#weights}, every vector operation in the interpreter's Java
 * implementation; prints the probabilities, one window a line.
 */
public final class InterpretedVectorMain {

    private InterpretedVectorMain() {
    }

    public static void main(String[] args) {
        LstmForward f = LstmForward.vectorApi(NoVectorModuleMain.weights(Long.parseLong(args[0]))).orElseThrow();
        System.out.println("implementation: " + f.description());
        for (float[] p : f.probabilities(JitIndependenceTest.features(), JitIndependenceTest.WINDOWS,
                JitIndependenceTest.STEPS)) {
            System.out.println("p " + Arrays.toString(p));
        }
    }
}
