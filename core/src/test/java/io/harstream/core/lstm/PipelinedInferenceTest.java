package io.harstream.core.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Failures on either thread of a call that splits the layers over two threads
 * ({@link LstmForward#lastHiddenPipelined}): the caller gets the failure, and the second thread never
 * stays behind, waiting for steps that will not come. (That the results equal one thread's is
 * {@link LstmForwardEquivalenceTest#smallBatchesOnTwoThreadsSplitTheLayersWithTheSameResults}.)
 */
class PipelinedInferenceTest {

    private static final int STEPS = 200;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aFailureOfTheSecondStageReachesTheCaller() {
        LstmForward fast = twoLayers();
        float[] x = TestNetworks.features(1, 3, STEPS, 1);
        ExecutorService failing = new Delegating(pool, task -> () -> {
            throw new IllegalStateException("second stage failed");
        });
        assertThatThrownBy(() -> fast.lastHiddenPipelined(x, 0, 1, STEPS, new float[1][16], failing))
                .isInstanceOf(IllegalStateException.class).hasMessage("second stage failed");
    }

    @Test
    void aFailureOfTheFirstStageStopsTheSecond() throws Exception {
        LstmForward fast = twoLayers();
        // The dense layer runs off the end 8 steps before the last: by then the second stage has long started
        // (a pool thread wakes in well under a millisecond) and waits for steps that will not come.
        float[] tooShort = new float[3 * STEPS - 8];
        assertThatThrownBy(() -> fast.lastHiddenPipelined(tooShort, 0, 1, STEPS, new float[1][16], pool))
                .isInstanceOf(ArrayIndexOutOfBoundsException.class);
        pool.shutdown(); // cancelling the future does not stop a running task: the second stage must notice
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).as("the second stage ended").isTrue();
    }

    private static LstmForward twoLayers() {
        LstmForward fast = LstmForward.vectorApi(LstmNetworkWeights.of(TestNetworks.random(3, 16, 16, 2, 6, STEPS, 3,
                0.3))).orElseThrow();
        assertThat(fast.threadsFor(1, 2)).isEqualTo(2);
        return fast;
    }

    /** An executor that hands tasks, rewritten, to another. */
    private static final class Delegating extends AbstractExecutorService {
        private final ExecutorService target;
        private final UnaryOperator<Runnable> rewrite;

        Delegating(ExecutorService target, UnaryOperator<Runnable> rewrite) {
            this.target = target;
            this.rewrite = rewrite;
        }

        @Override
        public Future<?> submit(Runnable task) {
            return target.submit(rewrite.apply(task));
        }

        @Override
        public void execute(Runnable command) {
            submit(command);
        }

        @Override
        public void shutdown() {
            target.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return target.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return target.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return target.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return target.awaitTermination(timeout, unit);
        }
    }
}
