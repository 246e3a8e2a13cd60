/**
 * The LSTM engine: harstream's own arithmetic for the one network shape {@link io.harstream.core.model.HarNetwork}
 * builds (dense ReLU on every time step, stacked DL4J {@code LSTM} layers, softmax on the last step), outside DL4J.
 * The equations, DL4J's gate order, the packed layout, the activations, the threading and how parity with DL4J is
 * tested are in this folder's README.md.
 *
 * <p>What it owns:
 * <ul>
 * <li>the weights read out of a DL4J network ({@link io.harstream.core.lstm.LstmNetworkWeights}; any other shape
 *     is refused with an {@link io.harstream.core.lstm.UnsupportedNetworkException} naming the difference);</li>
 * <li>the forward pass ({@link io.harstream.core.lstm.LstmForward}: class probabilities for a batch of windows,
 *     on one thread or several, the Vector API kernels or plain Java);</li>
 * <li>the backward pass of one window ({@link io.harstream.core.lstm.LstmBackprop}) into gradient sums with the
 *     layout of the weights ({@link io.harstream.core.lstm.LstmGradients}); handing them to DL4J's updater is the
 *     trainer's ({@code io.harstream.trainer.fit});</li>
 * <li>the cell and its activations ({@link io.harstream.core.lstm.RationalTanh},
 *     {@link io.harstream.core.lstm.ScalarLstmCell}, {@code VectorLstmCell}), shared by inference and training;</li>
 * <li>the one loader of the JDK incubator Vector API ({@link io.harstream.core.lstm.VectorSupport}).</li>
 * </ul>
 *
 * <p>Contracts: results match DL4J's {@code output} and {@code computeGradientAndScore} to float rounding (the tests
 * named in the README pin the tolerances); the plain-Java and Vector API forward passes give the same bits, and so
 * do the interpreter and C2, so a result never depends on the JVM flags, the JIT's progress, the number of threads
 * or the batch a window came in. Only classes named {@code Vector*} refer to {@code jdk.incubator.vector}; they are
 * loaded by {@link io.harstream.core.lstm.VectorSupport} only when the JVM has the module, so every other class
 * loads on any Java 17 JVM. Weights are immutable snapshots, {@link io.harstream.core.lstm.LstmForward} is
 * thread-safe; a {@link io.harstream.core.lstm.LstmBackprop} holds one window's scratch and serves one thread.
 */
package io.harstream.core.lstm;
