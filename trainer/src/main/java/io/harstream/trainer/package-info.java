/**
 * The trainer: the training API, {@link io.harstream.trainer.Trainer#run} over a
 * {@link io.harstream.trainer.TrainingRequest}, and its command line, {@link io.harstream.trainer.TrainCommand}
 * ({@code harstream train}), which only maps options to a request. A run reads a
 * {@link io.harstream.trainer.DataSource}, cuts windows with core's segmenter and axes frame, splits them
 * ({@link io.harstream.trainer.Split}: whole users, or windows at random, which is leaky), optionally cross-validates
 * over folds of whole users, trains the network by a recipe and the feature baseline beside it, evaluates both and
 * writes the bundle, the evaluation files and the test set.
 *
 * <p>Contracts: the request's defaults are stated once, in {@link io.harstream.trainer.TrainingRequest#builder()}; the
 * command line and the demo start from them. Input that cannot train is a
 * {@link io.harstream.trainer.TrainerException}, one line saying what is wrong and which option to change (exit
 * code 2).
 * Everything random follows from the request's seeds ({@code seed} draws the split and the folds, the training seed the
 * rest), so the same request trains the same model ({@code TrainingRepeatsAcrossProcessesTest} checks it bit for bit in
 * two JVMs). Evaluation classifies through core's {@code ActivityClassifier}, the stream-app's path, and no choice
 * looks at the test windows. The test set ({@code test-set.txt}: the held-out people's whole recordings as WISDM v1.1
 * lines, what the simulator replays) is read back and cut again before the run ends and must give the test windows. A
 * run belongs to its calling thread; only the training steps use {@link io.harstream.trainer.TrainingRequest#workers()}
 * threads.
 *
 * <p>More: docs/trainer.md; the module's place among the others: docs/design.md#modules.
 */
package io.harstream.trainer;
