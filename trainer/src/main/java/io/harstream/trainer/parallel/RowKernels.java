package io.harstream.trainer.parallel;

import io.harstream.core.model.inference.LstmForward;
import io.harstream.core.model.inference.RationalTanh;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two matrix operations all of {@link LstmBackprop}'s arithmetic goes through, over {@code float[][]} rows.
 * Two implementations: the JDK incubator Vector API (accumulators kept in registers), and plain loops for a JVM
 * started without {@code --add-modules jdk.incubator.vector}. The harstream launcher and the Maven test
 * configuration pass that flag.
 */
abstract class RowKernels {

    private static final Logger LOG = LoggerFactory.getLogger(RowKernels.class);
    private static final String VECTOR_IMPL = "io.harstream.trainer.parallel.VectorRowKernels";
    private static volatile RowKernels best;

    /** The Vector API implementation where the module is present, else plain loops (logged once). */
    static RowKernels best() {
        RowKernels b = best;
        if (b == null) {
            b = plainJava();
            if (LstmForward.vectorApiAvailable()) {
                try {
                    // Loaded by name: no class that is loaded without the module may refer to the Vector API.
                    b = (RowKernels) Class.forName(VECTOR_IMPL).getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException | LinkageError e) {
                    LOG.warn("the Vector API kernels could not be loaded ({}); harstream's backprop uses plain Java",
                            e.toString());
                }
            } else {
                LOG.warn("the JVM was started without --add-modules jdk.incubator.vector: harstream's backprop uses "
                        + "plain Java loops, several times slower");
            }
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

    /**
     * The scalar cell update of units {@code [from, n)}, shared by both implementations (the vector one's tail):
     * tanh as {@link RationalTanh}, sigmoid(x) = (1 + tanh(x/2)) / 2, in the vector kernel's operations and order,
     * so both give the same bits.
     */
    static void cell(float[] z, int n, float[] cPrev, float[] c, float[] tc, float[] h, int from) {
        for (int j = from; j < n; j++) {
            float a = RationalTanh.tanh(z[j]);
            float f = sigmoid(z[n + j]);
            float o = sigmoid(z[2 * n + j]);
            float i = sigmoid(z[3 * n + j]);
            z[j] = a;
            z[n + j] = f;
            z[2 * n + j] = o;
            z[3 * n + j] = i;
            float cj = i * a;
            if (cPrev != null) {
                cj = Math.fma(f, cPrev[j], cj);
            }
            c[j] = cj;
            float tcj = RationalTanh.tanh(cj);
            tc[j] = tcj;
            h[j] = o * tcj;
        }
    }

    private static float sigmoid(float x) {
        return Math.fma(RationalTanh.tanh(x * 0.5f), 0.5f, 0.5f);
    }

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
            cell(z, n, cPrev, c, tc, h, 0);
        }

        @Override
        String description() {
            return "plain Java";
        }
    }
}
