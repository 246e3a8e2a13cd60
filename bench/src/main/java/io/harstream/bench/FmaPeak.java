package io.harstream.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

/**
 * The machine's single-precision FMA peak as the JVM reaches it: a loop of {@link FloatVector#fma}
 * on 12 independent accumulators that never leave the registers (enough chains to cover the FMA
 * latency on every current x86 and ARM core). The only class of this module that refers to the
 * Vector API.
 */
final class FmaPeak {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;

    private FmaPeak() {
    }

    static String species() {
        return S.length() + " float lanes (" + S.vectorBitSize() + " bit)";
    }

    /** Best of three runs of about {@code seconds} each, with {@code threads} threads at once: total GFLOP/s. */
    static double gflops(int threads, double seconds) throws Exception {
        kernel(200_000); // compile
        kernel(200_000);
        long probe = 2_000_000;
        long t0 = System.nanoTime();
        kernel(probe);
        double perIter = (System.nanoTime() - t0) / 1e9 / probe;
        long iters = Math.max(probe, (long) (seconds / perIter));
        double best = 0;
        for (int run = 0; run < 3; run++) {
            best = Math.max(best, once(threads, iters));
        }
        return best;
    }

    private static double once(int threads, long iters) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        List<Thread> workers = new ArrayList<>();
        float[] sink = new float[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    sink[id] = kernel(iters);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "fma-peak-" + t);
            th.setDaemon(true);
            workers.add(th);
            th.start();
        }
        start.await();
        long t0 = System.nanoTime();
        for (Thread th : workers) {
            th.join();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        float check = 0;
        for (float v : sink) {
            check += v;
        }
        if (Float.isNaN(check)) {
            throw new IllegalStateException("NaN in the FMA loop");
        }
        return (double) threads * iters * CHAINS * S.length() * 2 / s / 1e9;
    }

    /** {@code acc = acc * m + c} on 12 chains; converges to c / (1 - m), no denormals, no overflow. */
    static float kernel(long iters) {
        FloatVector m = FloatVector.broadcast(S, 0.999f);
        FloatVector c = FloatVector.broadcast(S, 0.001f);
        FloatVector a0 = FloatVector.broadcast(S, 0.1f), a1 = FloatVector.broadcast(S, 0.2f);
        FloatVector a2 = FloatVector.broadcast(S, 0.3f), a3 = FloatVector.broadcast(S, 0.4f);
        FloatVector a4 = FloatVector.broadcast(S, 0.5f), a5 = FloatVector.broadcast(S, 0.6f);
        FloatVector a6 = FloatVector.broadcast(S, 0.7f), a7 = FloatVector.broadcast(S, 0.8f);
        FloatVector a8 = FloatVector.broadcast(S, 0.9f), a9 = FloatVector.broadcast(S, 1.0f);
        FloatVector a10 = FloatVector.broadcast(S, 1.1f), a11 = FloatVector.broadcast(S, 1.2f);
        for (long i = 0; i < iters; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
