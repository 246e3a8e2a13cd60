/**
 * One optimizer step per mini-batch on a DL4J network, taken the way {@code MultiLayerNetwork.fit} takes it
 * ({@link io.harstream.trainer.fit.TrainingStep}): the glue between a gradient and DL4J's updater.
 *
 * <p>What it owns: where the mini-batch gradient comes from ({@link io.harstream.trainer.fit.Backprop}: harstream's
 * backward pass, {@link io.harstream.trainer.fit.BackpropFit} over core's {@code io.harstream.core.lstm.LstmBackprop},
 * or DL4J's own, {@link io.harstream.trainer.fit.DataParallelFit}), splitting it over worker threads
 * ({@link io.harstream.trainer.fit.WorkerThreads}), and handing the summed gradient to the network's own updater
 * ({@link io.harstream.trainer.fit.OptimizerStep}: division by the batch, clipping, L1/L2, Adam, the step function,
 * listeners, the iteration counter, constraints). The arithmetic of the LSTM itself is core's
 * ({@code io.harstream.core.lstm}); nothing here computes a gate.
 *
 * <p>Contracts: a step changes the network exactly as {@code fit} would, up to float summation order, whatever the
 * number of workers (dropout masks aside, which are drawn per window from seeds that do not depend on the workers;
 * {@code BackpropFitTest} and {@code DataParallelFitTest} pin the tolerances). The network stays a DL4J network:
 * built, saved and evaluated by DL4J. A step object is not thread-safe: one caller at a time, then
 * {@link io.harstream.trainer.fit.TrainingStep#close()}.
 */
package io.harstream.trainer.fit;
