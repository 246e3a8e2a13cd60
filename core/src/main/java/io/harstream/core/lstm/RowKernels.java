package io.harstream.core.lstm;

/**
 * The matrix operations and the cell all of {@link LstmBackprop}'s arithmetic goes through, over {@code float[][]}
 * rows. Two implementations: the JDK incubator Vector API ({@link VectorRowKernels}: accumulators kept in registers),
 * and plain loops for a JVM started without {@code --add-modules jdk.incubator.vector} ({@link VectorSupport}). Both
 * update the cell with the same activations to the bit ({@link ScalarLstmCell}, {@link VectorLstmCell}); the
 * matrix operations sum in different orders, so they agree to float rounding only.
 */
abstract class RowKernels {

    /** Loaded by name through {@link VectorSupport}: it refers to the Vector API. */
    private static final String VECTOR_IMPL = "VectorRowKernels";
    private static volatile RowKernels best;

    /** The Vector API implementation where the module is present, else plain loops (logged once). */
    static RowKernels best() {
        RowKernels b = best;
        if (b == null) {
            b = VectorSupport.vectorOrPlainJava(LstmBackprop.NAME, RowKernels.class, VECTOR_IMPL,
                    RowKernels::plainJava);
            best = b;
        }
        return b;
    }

    static RowKernels plainJava() {
        return new ScalarRowKernels();
    }

    /** {@code y[0..len) += sum over k in [0, count) of c[k] * rows[k][0..len)}. */
    abstract void addCombination(float[] y, int len, float[][] rows, float[] c, int count);

    /**
     * For every {@code t} in {@code [t0, t1)}: {@code y[t][0..len) += sum over k in [0, count) of
     * x[t][k] * rows[k][0..len)}: {@link #addCombination} for many steps at once, when no step depends on the
     * previous one (input projections, input gradients), so one load of a row serves several steps.
     */
    abstract void addProducts(float[][] y, int len, float[][] x, float[][] rows, int count, int t0, int t1);

    /**
     * For every {@code k} in {@code [0, count)}: {@code g[k][0..len) += sum over t in [t0, t1) of
     * a[t + shift][k] * b[t][0..len)}: the weight gradient {@code sum_t a_(t+shift)^T b_t} of a layer.
     */
    abstract void addOuterProducts(float[][] g, int count, int len, float[][] a, int shift, float[][] b, int t0,
                                   int t1);

    /**
     * The LSTM cell of one step from its gate pre-activations {@code z} ({@code [4n]}: a, f, o, i, DL4J's order):
     * replaces them in place by {@code tanh(a), s(f), s(o), s(i)} and writes {@code c = s(i) tanh(a) + s(f) cPrev}
     * ({@code cPrev} null: zero), {@code tc = tanh(c)} and {@code h = s(o) tc}.
     */
    abstract void cell(float[] z, int n, float[] cPrev, float[] c, float[] tc, float[] h);

    /** Which implementation, for logs. */
    abstract String description();

    /** Plain loops, the reference the Vector API implementation is tested against. */
    static final class ScalarRowKernels extends RowKernels {

        @Override
        void addCombination(float[] y, int len, float[][] rows, float[] c, int count) {
            for (int k = 0; k < count; k++) {
                float s = c[k];
                float[] r = rows[k];
                for (int j = 0; j < len; j++) {
                    y[j] += s * r[j];
                }
            }
        }

        @Override
        void addProducts(float[][] y, int len, float[][] x, float[][] rows, int count, int t0, int t1) {
            for (int t = t0; t < t1; t++) {
                addCombination(y[t], len, rows, x[t], count);
            }
        }

        @Override
        void addOuterProducts(float[][] g, int count, int len, float[][] a, int shift, float[][] b, int t0, int t1) {
            for (int t = t0; t < t1; t++) {
                float[] at = a[t + shift];
                float[] bt = b[t];
                for (int k = 0; k < count; k++) {
                    float s = at[k];
                    float[] gk = g[k];
                    for (int j = 0; j < len; j++) {
                        gk[j] += s * bt[j];
                    }
                }
            }
        }

        @Override
        void cell(float[] z, int n, float[] cPrev, float[] c, float[] tc, float[] h) {
            ScalarLstmCell.update(z, n, cPrev, c, tc, h, 0);
        }

        @Override
        String description() {
            return "plain Java";
        }
    }
}
