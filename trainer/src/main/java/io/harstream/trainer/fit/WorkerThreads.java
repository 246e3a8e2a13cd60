package io.harstream.trainer.fit;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread per worker, so that worker {@code k}'s work always runs on the same thread (DL4J workspaces
 * and ND4J's random generator are per thread; so are a worker's scratch arrays).
 */
final class WorkerThreads implements AutoCloseable {

    private final ExecutorService[] threads;

    WorkerThreads(int count, String name) {
        threads = new ExecutorService[count];
        for (int k = 0; k < count; k++) {
            String threadName = name + "-" + k;
            threads[k] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
        }
    }

    <T> Future<T> submit(int worker, Callable<T> task) {
        return threads[worker].submit(task);
    }

    void execute(int worker, Runnable task) {
        threads[worker].execute(task);
    }

    /** Runs {@code lastTask} on every thread, then stops them, waiting up to a minute. */
    void close(Runnable lastTask) {
        for (ExecutorService t : threads) {
            t.execute(lastTask);
            t.shutdown();
        }
        for (ExecutorService t : threads) {
            try {
                t.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        close(() -> { });
    }

    /** The sum of the workers' results, after every worker has finished (so none is still running on failure). */
    static double sum(List<Future<Double>> futures) {
        double sum = 0;
        Throwable failure = null;
        boolean interrupted = false;
        for (Future<Double> f : futures) {
            while (true) {
                try {
                    sum += f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                    } else {
                        failure.addSuppressed(e.getCause());
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException("a training worker failed", failure);
        }
        return sum;
    }
}
