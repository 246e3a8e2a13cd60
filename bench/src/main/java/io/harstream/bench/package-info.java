/**
 * The benchmark commands: {@code bench-train} (training windows/s, DL4J's backward pass against
 * harstream's), {@code bench-inference} (inference windows/s and latency, DL4J against the fast LSTM path)
 * and {@code bench-stream} (the stream-app's sustained throughput, latency and memory on an embedded broker).
 *
 * <p>Each prints its setup, the CPU model and the load average with its table, so that a figure can be
 * compared only with figures from the same machine; the two compute benchmarks also measure the machine's
 * FMA peak and ND4J's sgemm in the same run. The results and the commands that produced them are recorded in
 * BENCHMARKS.md.
 */
package io.harstream.bench;
