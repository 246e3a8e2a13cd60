package io.harstream.streamapp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A request to stop the stream-app, made by SIGTERM or SIGINT when {@link #onSignals()} installed the
 * handlers. The command answers it with a clean close (in-flight work committed, the group left) and exit
 * status 0.
 *
 * <p>Why handlers and not only a shutdown hook: on SIGTERM the JVM runs its shutdown hooks and then exits
 * with 128 + 15 = 143 whatever the main thread would have returned, so a stop that committed everything
 * would look like a failure to a supervisor (systemd, a Kubernetes Job, {@code restart: on-failure}). With
 * the handler the JVM does not begin its shutdown on the signal: the command closes the app and exits with
 * its own status, 0 after a clean stop. The handlers use {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}, exported for such uses; Kafka's broker installs its signal-logging handlers
 * through it too): the JDK has no public API for it.
 *
 * <p>Only the command's {@code main} installs handlers; a {@code StopRequest} made with the constructor is
 * never signalled, so an app embedded in another JVM (tests, the demo) leaves that JVM's signals alone.
 */
final class StopRequest {

    private static final Logger LOG = LoggerFactory.getLogger(StopRequest.class);

    private final CountDownLatch requested = new CountDownLatch(1);
    private volatile Runnable onRequest = () -> { };

    /** A request that only {@link #request(String)} makes. */
    StopRequest() {
    }

    /**
     * A request made by SIGTERM or SIGINT. Where the JVM refuses a handler (run with {@code -Xrs}), that
     * signal keeps its default behaviour; a signal the process was started to ignore (SIGINT in a background
     * job) stays ignored.
     */
    static StopRequest onSignals() {
        StopRequest stop = new StopRequest();
        for (String name : List.of("TERM", "INT")) {
            try {
                handle(name, () -> stop.request("SIG" + name));
            } catch (IllegalArgumentException e) {
                LOG.debug("SIG{} keeps the JVM's default handling: {}", name, e.getMessage());
            }
        }
        return stop;
    }

    /**
     * {@code Signal.handle(new Signal(name), s -> handler.run())}, through reflection as Kafka does it: javac
     * warns on every direct use of {@code sun.misc} and no annotation silences it.
     */
    private static void handle(String name, Runnable handler) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            Object proxy = Proxy.newProxyInstance(StopRequest.class.getClassLoader(), new Class<?>[]{handlerClass},
                    (self, method, args) -> {
                        if (method.getName().equals("handle")) {
                            handler.run();
                            return null;
                        }
                        // Object's methods, for the JVM's bookkeeping of handlers
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(self);
                            case "equals" -> self == args[0];
                            default -> "harstream stop handler for SIG" + name;
                        };
                    });
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, proxy);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException refused) {
                throw refused;
            }
            throw new IllegalStateException("cannot handle SIG" + name, e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("no sun.misc.Signal in this JVM: " + e, e);
        }
    }

    /** Requests the stop: runs the action given to {@link #whenRequested}, if any yet. Any thread. */
    void request(String why) {
        LOG.info("{}: stopping", why);
        requested.countDown();
        onRequest.run();
    }

    boolean isRequested() {
        return requested.getCount() == 0;
    }

    /**
     * Runs {@code stop} on the requesting thread when the stop is requested, or now if it already was. It may
     * run twice when a request races this call, so it must be idempotent.
     */
    void whenRequested(Runnable stop) {
        onRequest = stop;
        if (isRequested()) {
            stop.run();
        }
    }
}
