package io.harstream.core.lstm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowKernels} with the JDK incubator Vector API: a block of up to 8 vectors of the result stays in
 * registers while the loop runs over the rows (or time steps) that are added into it, so each result element
 * is loaded and stored once per call rather than once per row. Loaded by name ({@link VectorSupport}) only when the
 * module is present.
 * As in {@link VectorLstmForward}, no method takes or returns a vector (a vector crossing a call C2 did not
 * inline is boxed).
 */
final class VectorRowKernels extends RowKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    String description() {
        return "Vector API, " + L + " float lanes";
    }

    /**
     * {@link VectorLstmCell}, inference's cell too: plain arithmetic, the same bits whether C2 has compiled
     * it yet or not, so a training run is repeatable (the scalar tail computes the same, see {@link ScalarLstmCell}).
     */
    @Override
    void cell(float[] z, int n, float[] cPrev, float[] c, float[] tc, float[] h) {
        int j = 0;
        for (; j + L <= n; j += L) {
            VectorLstmCell.update(z, j, n + j, 2 * n + j, 3 * n + j, cPrev, c, tc, h, j);
        }
        ScalarLstmCell.update(z, n, cPrev, c, tc, h, j);
    }

    @Override
    void addCombination(float[] y, int len, float[][] rows, float[] c, int count) {
        int j = 0;
        for (; j + 8 * L <= len; j += 8 * L) {
            combination8(y, j, rows, c, count);
        }
        for (; j + 4 * L <= len; j += 4 * L) {
            combination4(y, j, rows, c, count);
        }
        for (; j + L <= len; j += L) {
            FloatVector a = FloatVector.fromArray(S, y, j);
            for (int k = 0; k < count; k++) {
                a = FloatVector.fromArray(S, rows[k], j).fma(FloatVector.broadcast(S, c[k]), a);
            }
            a.intoArray(y, j);
        }
        for (; j < len; j++) {
            float s = y[j];
            for (int k = 0; k < count; k++) {
                s += c[k] * rows[k][j];
            }
            y[j] = s;
        }
    }

    private static void combination8(float[] y, int j, float[][] rows, float[] c, int count) {
        FloatVector a0 = FloatVector.fromArray(S, y, j);
        FloatVector a1 = FloatVector.fromArray(S, y, j + L);
        FloatVector a2 = FloatVector.fromArray(S, y, j + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, y, j + 3 * L);
        FloatVector a4 = FloatVector.fromArray(S, y, j + 4 * L);
        FloatVector a5 = FloatVector.fromArray(S, y, j + 5 * L);
        FloatVector a6 = FloatVector.fromArray(S, y, j + 6 * L);
        FloatVector a7 = FloatVector.fromArray(S, y, j + 7 * L);
        for (int k = 0; k < count; k++) {
            float[] r = rows[k];
            FloatVector v = FloatVector.broadcast(S, c[k]);
            a0 = FloatVector.fromArray(S, r, j).fma(v, a0);
            a1 = FloatVector.fromArray(S, r, j + L).fma(v, a1);
            a2 = FloatVector.fromArray(S, r, j + 2 * L).fma(v, a2);
            a3 = FloatVector.fromArray(S, r, j + 3 * L).fma(v, a3);
            a4 = FloatVector.fromArray(S, r, j + 4 * L).fma(v, a4);
            a5 = FloatVector.fromArray(S, r, j + 5 * L).fma(v, a5);
            a6 = FloatVector.fromArray(S, r, j + 6 * L).fma(v, a6);
            a7 = FloatVector.fromArray(S, r, j + 7 * L).fma(v, a7);
        }
        a0.intoArray(y, j);
        a1.intoArray(y, j + L);
        a2.intoArray(y, j + 2 * L);
        a3.intoArray(y, j + 3 * L);
        a4.intoArray(y, j + 4 * L);
        a5.intoArray(y, j + 5 * L);
        a6.intoArray(y, j + 6 * L);
        a7.intoArray(y, j + 7 * L);
    }

    /** Four vectors of the result, the rows split into two chains of accumulators for the FMA latency. */
    private static void combination4(float[] y, int j, float[][] rows, float[] c, int count) {
        FloatVector a0 = FloatVector.fromArray(S, y, j);
        FloatVector a1 = FloatVector.fromArray(S, y, j + L);
        FloatVector a2 = FloatVector.fromArray(S, y, j + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, y, j + 3 * L);
        FloatVector b0 = FloatVector.zero(S);
        FloatVector b1 = FloatVector.zero(S);
        FloatVector b2 = FloatVector.zero(S);
        FloatVector b3 = FloatVector.zero(S);
        int k = 0;
        for (; k + 2 <= count; k += 2) {
            float[] r = rows[k];
            float[] q = rows[k + 1];
            FloatVector v = FloatVector.broadcast(S, c[k]);
            FloatVector u = FloatVector.broadcast(S, c[k + 1]);
            a0 = FloatVector.fromArray(S, r, j).fma(v, a0);
            a1 = FloatVector.fromArray(S, r, j + L).fma(v, a1);
            a2 = FloatVector.fromArray(S, r, j + 2 * L).fma(v, a2);
            a3 = FloatVector.fromArray(S, r, j + 3 * L).fma(v, a3);
            b0 = FloatVector.fromArray(S, q, j).fma(u, b0);
            b1 = FloatVector.fromArray(S, q, j + L).fma(u, b1);
            b2 = FloatVector.fromArray(S, q, j + 2 * L).fma(u, b2);
            b3 = FloatVector.fromArray(S, q, j + 3 * L).fma(u, b3);
        }
        if (k < count) {
            float[] r = rows[k];
            FloatVector v = FloatVector.broadcast(S, c[k]);
            a0 = FloatVector.fromArray(S, r, j).fma(v, a0);
            a1 = FloatVector.fromArray(S, r, j + L).fma(v, a1);
            a2 = FloatVector.fromArray(S, r, j + 2 * L).fma(v, a2);
            a3 = FloatVector.fromArray(S, r, j + 3 * L).fma(v, a3);
        }
        a0.add(b0).intoArray(y, j);
        a1.add(b1).intoArray(y, j + L);
        a2.add(b2).intoArray(y, j + 2 * L);
        a3.add(b3).intoArray(y, j + 3 * L);
    }

    @Override
    void addProducts(float[][] y, int len, float[][] x, float[][] rows, int count, int t0, int t1) {
        int j = 0;
        for (; j + 4 * L <= len; j += 4 * L) {
            int t = t0;
            for (; t + 4 <= t1; t += 4) {
                products4x4(y, j, x, rows, count, t);
            }
            for (; t < t1; t++) {
                combination4(y[t], j, rows, x[t], count);
            }
        }
        if (j < len) {
            for (int t = t0; t < t1; t++) {
                float[] yt = y[t];
                float[] xt = x[t];
                for (int jj = j; jj < len; jj++) {
                    float s = yt[jj];
                    for (int k = 0; k < count; k++) {
                        s += xt[k] * rows[k][jj];
                    }
                    yt[jj] = s;
                }
            }
        }
    }

    /** Steps {@code t..t+3} x four vectors from column {@code j}: 16 accumulators, each row load used 4 times. */
    private static void products4x4(float[][] y, int j, float[][] x, float[][] rows, int count, int t) {
        float[] y0 = y[t];
        float[] y1 = y[t + 1];
        float[] y2 = y[t + 2];
        float[] y3 = y[t + 3];
        float[] x0 = x[t];
        float[] x1 = x[t + 1];
        float[] x2 = x[t + 2];
        float[] x3 = x[t + 3];
        FloatVector a00 = FloatVector.fromArray(S, y0, j), a01 = FloatVector.fromArray(S, y0, j + L);
        FloatVector a02 = FloatVector.fromArray(S, y0, j + 2 * L), a03 = FloatVector.fromArray(S, y0, j + 3 * L);
        FloatVector a10 = FloatVector.fromArray(S, y1, j), a11 = FloatVector.fromArray(S, y1, j + L);
        FloatVector a12 = FloatVector.fromArray(S, y1, j + 2 * L), a13 = FloatVector.fromArray(S, y1, j + 3 * L);
        FloatVector a20 = FloatVector.fromArray(S, y2, j), a21 = FloatVector.fromArray(S, y2, j + L);
        FloatVector a22 = FloatVector.fromArray(S, y2, j + 2 * L), a23 = FloatVector.fromArray(S, y2, j + 3 * L);
        FloatVector a30 = FloatVector.fromArray(S, y3, j), a31 = FloatVector.fromArray(S, y3, j + L);
        FloatVector a32 = FloatVector.fromArray(S, y3, j + 2 * L), a33 = FloatVector.fromArray(S, y3, j + 3 * L);
        for (int k = 0; k < count; k++) {
            float[] r = rows[k];
            FloatVector w0 = FloatVector.fromArray(S, r, j);
            FloatVector w1 = FloatVector.fromArray(S, r, j + L);
            FloatVector w2 = FloatVector.fromArray(S, r, j + 2 * L);
            FloatVector w3 = FloatVector.fromArray(S, r, j + 3 * L);
            FloatVector v = FloatVector.broadcast(S, x0[k]);
            a00 = w0.fma(v, a00);
            a01 = w1.fma(v, a01);
            a02 = w2.fma(v, a02);
            a03 = w3.fma(v, a03);
            v = FloatVector.broadcast(S, x1[k]);
            a10 = w0.fma(v, a10);
            a11 = w1.fma(v, a11);
            a12 = w2.fma(v, a12);
            a13 = w3.fma(v, a13);
            v = FloatVector.broadcast(S, x2[k]);
            a20 = w0.fma(v, a20);
            a21 = w1.fma(v, a21);
            a22 = w2.fma(v, a22);
            a23 = w3.fma(v, a23);
            v = FloatVector.broadcast(S, x3[k]);
            a30 = w0.fma(v, a30);
            a31 = w1.fma(v, a31);
            a32 = w2.fma(v, a32);
            a33 = w3.fma(v, a33);
        }
        a00.intoArray(y0, j);
        a01.intoArray(y0, j + L);
        a02.intoArray(y0, j + 2 * L);
        a03.intoArray(y0, j + 3 * L);
        a10.intoArray(y1, j);
        a11.intoArray(y1, j + L);
        a12.intoArray(y1, j + 2 * L);
        a13.intoArray(y1, j + 3 * L);
        a20.intoArray(y2, j);
        a21.intoArray(y2, j + L);
        a22.intoArray(y2, j + 2 * L);
        a23.intoArray(y2, j + 3 * L);
        a30.intoArray(y3, j);
        a31.intoArray(y3, j + L);
        a32.intoArray(y3, j + 2 * L);
        a33.intoArray(y3, j + 3 * L);
    }

    /**
     * Steps per chunk of {@link #addOuterProducts}: 16 rows of b (16 KB for 256 columns) stay in L1 while every row
     * of g passes over them, instead of each row of g streaming all of b from L2.
     */
    private static final int STEP_CHUNK = 16;

    @Override
    void addOuterProducts(float[][] g, int count, int len, float[][] a, int shift, float[][] b, int t0, int t1) {
        for (int from = t0; from < t1; from += STEP_CHUNK) {
            outerProducts(g, count, len, a, shift, b, from, Math.min(t1, from + STEP_CHUNK));
        }
    }

    private static void outerProducts(float[][] g, int count, int len, float[][] a, int shift, float[][] b, int t0,
                                      int t1) {
        int k0 = 0;
        for (; k0 + 2 <= count; k0 += 2) {
            int j = 0;
            for (; j + 8 * L <= len; j += 8 * L) {
                outer8x2(g[k0], g[k0 + 1], j, k0, a, shift, b, t0, t1);
            }
            for (int k = k0; k < k0 + 2; k++) {
                outerTail(g[k], j, len, k, a, shift, b, t0, t1);
            }
        }
        for (int k = k0; k < count; k++) {
            float[] gk = g[k];
            int j = 0;
            for (; j + 8 * L <= len; j += 8 * L) {
                outer8(gk, j, k, a, shift, b, t0, t1);
            }
            outerTail(gk, j, len, k, a, shift, b, t0, t1);
        }
    }

    /** The columns from {@code j} on, of row {@code k}, a vector (then an element) at a time. */
    private static void outerTail(float[] gk, int j, int len, int k, float[][] a, int shift, float[][] b, int t0,
                                  int t1) {
        for (; j + L <= len; j += L) {
            FloatVector acc = FloatVector.fromArray(S, gk, j);
            for (int t = t0; t < t1; t++) {
                acc = FloatVector.fromArray(S, b[t], j).fma(FloatVector.broadcast(S, a[t + shift][k]), acc);
            }
            acc.intoArray(gk, j);
        }
        for (; j < len; j++) {
            float s = gk[j];
            for (int t = t0; t < t1; t++) {
                s += a[t + shift][k] * b[t][j];
            }
            gk[j] = s;
        }
    }

    /** Rows {@code k} and {@code k+1}, eight vectors each from column {@code j}: each load of b serves both. */
    private static void outer8x2(float[] g0, float[] g1, int j, int k, float[][] a, int shift, float[][] b, int t0,
                                 int t1) {
        FloatVector a0 = FloatVector.fromArray(S, g0, j), a1 = FloatVector.fromArray(S, g0, j + L);
        FloatVector a2 = FloatVector.fromArray(S, g0, j + 2 * L), a3 = FloatVector.fromArray(S, g0, j + 3 * L);
        FloatVector a4 = FloatVector.fromArray(S, g0, j + 4 * L), a5 = FloatVector.fromArray(S, g0, j + 5 * L);
        FloatVector a6 = FloatVector.fromArray(S, g0, j + 6 * L), a7 = FloatVector.fromArray(S, g0, j + 7 * L);
        FloatVector c0 = FloatVector.fromArray(S, g1, j), c1 = FloatVector.fromArray(S, g1, j + L);
        FloatVector c2 = FloatVector.fromArray(S, g1, j + 2 * L), c3 = FloatVector.fromArray(S, g1, j + 3 * L);
        FloatVector c4 = FloatVector.fromArray(S, g1, j + 4 * L), c5 = FloatVector.fromArray(S, g1, j + 5 * L);
        FloatVector c6 = FloatVector.fromArray(S, g1, j + 6 * L), c7 = FloatVector.fromArray(S, g1, j + 7 * L);
        for (int t = t0; t < t1; t++) {
            float[] r = b[t];
            float[] at = a[t + shift];
            FloatVector v = FloatVector.broadcast(S, at[k]);
            FloatVector u = FloatVector.broadcast(S, at[k + 1]);
            FloatVector b0 = FloatVector.fromArray(S, r, j);
            FloatVector b1 = FloatVector.fromArray(S, r, j + L);
            FloatVector b2 = FloatVector.fromArray(S, r, j + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, r, j + 3 * L);
            a0 = b0.fma(v, a0);
            c0 = b0.fma(u, c0);
            a1 = b1.fma(v, a1);
            c1 = b1.fma(u, c1);
            a2 = b2.fma(v, a2);
            c2 = b2.fma(u, c2);
            a3 = b3.fma(v, a3);
            c3 = b3.fma(u, c3);
            FloatVector b4 = FloatVector.fromArray(S, r, j + 4 * L);
            FloatVector b5 = FloatVector.fromArray(S, r, j + 5 * L);
            FloatVector b6 = FloatVector.fromArray(S, r, j + 6 * L);
            FloatVector b7 = FloatVector.fromArray(S, r, j + 7 * L);
            a4 = b4.fma(v, a4);
            c4 = b4.fma(u, c4);
            a5 = b5.fma(v, a5);
            c5 = b5.fma(u, c5);
            a6 = b6.fma(v, a6);
            c6 = b6.fma(u, c6);
            a7 = b7.fma(v, a7);
            c7 = b7.fma(u, c7);
        }
        a0.intoArray(g0, j);
        a1.intoArray(g0, j + L);
        a2.intoArray(g0, j + 2 * L);
        a3.intoArray(g0, j + 3 * L);
        a4.intoArray(g0, j + 4 * L);
        a5.intoArray(g0, j + 5 * L);
        a6.intoArray(g0, j + 6 * L);
        a7.intoArray(g0, j + 7 * L);
        c0.intoArray(g1, j);
        c1.intoArray(g1, j + L);
        c2.intoArray(g1, j + 2 * L);
        c3.intoArray(g1, j + 3 * L);
        c4.intoArray(g1, j + 4 * L);
        c5.intoArray(g1, j + 5 * L);
        c6.intoArray(g1, j + 6 * L);
        c7.intoArray(g1, j + 7 * L);
    }

    private static void outer8(float[] gk, int j, int k, float[][] a, int shift, float[][] b, int t0, int t1) {
        FloatVector a0 = FloatVector.fromArray(S, gk, j);
        FloatVector a1 = FloatVector.fromArray(S, gk, j + L);
        FloatVector a2 = FloatVector.fromArray(S, gk, j + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, gk, j + 3 * L);
        FloatVector a4 = FloatVector.fromArray(S, gk, j + 4 * L);
        FloatVector a5 = FloatVector.fromArray(S, gk, j + 5 * L);
        FloatVector a6 = FloatVector.fromArray(S, gk, j + 6 * L);
        FloatVector a7 = FloatVector.fromArray(S, gk, j + 7 * L);
        for (int t = t0; t < t1; t++) {
            float[] r = b[t];
            FloatVector v = FloatVector.broadcast(S, a[t + shift][k]);
            a0 = FloatVector.fromArray(S, r, j).fma(v, a0);
            a1 = FloatVector.fromArray(S, r, j + L).fma(v, a1);
            a2 = FloatVector.fromArray(S, r, j + 2 * L).fma(v, a2);
            a3 = FloatVector.fromArray(S, r, j + 3 * L).fma(v, a3);
            a4 = FloatVector.fromArray(S, r, j + 4 * L).fma(v, a4);
            a5 = FloatVector.fromArray(S, r, j + 5 * L).fma(v, a5);
            a6 = FloatVector.fromArray(S, r, j + 6 * L).fma(v, a6);
            a7 = FloatVector.fromArray(S, r, j + 7 * L).fma(v, a7);
        }
        a0.intoArray(gk, j);
        a1.intoArray(gk, j + L);
        a2.intoArray(gk, j + 2 * L);
        a3.intoArray(gk, j + 3 * L);
        a4.intoArray(gk, j + 4 * L);
        a5.intoArray(gk, j + 5 * L);
        a6.intoArray(gk, j + 6 * L);
        a7.intoArray(gk, j + 7 * L);
    }
}
