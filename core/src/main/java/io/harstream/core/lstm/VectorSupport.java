package io.harstream.core.lstm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The engine's one door to the JDK incubator Vector API ({@code jdk.incubator.vector}): whether the JVM has the
 * module, and the Vector API implementations of inference ({@link VectorLstmForward}) and training
 * ({@link VectorRowKernels}), loaded by name.
 *
 * <p>The module is incubating, so the JVM resolves it only when started with
 * {@code --add-modules jdk.incubator.vector} (the {@code harstream} launcher and the Maven test configuration pass
 * it). Without it, any class that refers to a Vector API type fails to link. So the rule of this package: only
 * the classes named {@code Vector*} refer to the Vector API, no other class names them in its code, and they are
 * instantiated here, by reflection, after {@link #available} said yes. Every other class loads on any JVM, and
 * each Vector API class has a plain-Java counterpart that computes the same activations
 * ({@link ScalarLstmCell}).
 */
public final class VectorSupport {

    /** The incubator module's name, as {@code --add-modules} takes it. */
    public static final String MODULE = "jdk.incubator.vector";

    private static final Logger LOG = LoggerFactory.getLogger(VectorSupport.class);
    /** The paths whose fallback to plain Java has been logged: once per path and JVM. */
    private static final Set<String> FALLBACK_LOGGED = ConcurrentHashMap.newKeySet();

    private VectorSupport() {
    }

    /** Whether the JVM was started with {@code --add-modules jdk.incubator.vector}. */
    public static boolean available() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /**
     * A new instance of the Vector API class {@code simpleName} of this package, made by its constructor that takes
     * exactly the classes of {@code args}; empty when the module is absent, or when the class cannot be loaded
     * (logged: a broken build, not a missing flag).
     *
     * @param type what the class is, for the cast
     */
    static <T> Optional<T> newInstance(Class<T> type, String simpleName, Object... args) {
        if (!available()) {
            return Optional.empty();
        }
        Class<?>[] parameters = new Class<?>[args.length];
        for (int i = 0; i < args.length; i++) {
            parameters[i] = args[i].getClass();
        }
        String name = VectorSupport.class.getPackageName() + "." + simpleName;
        try {
            return Optional.of(type.cast(Class.forName(name).getDeclaredConstructor(parameters).newInstance(args)));
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.warn("the Vector API class {} could not be loaded ({}); using plain Java", name, e.toString());
            return Optional.empty();
        }
    }

    /**
     * The Vector API class {@code simpleName} as {@link #newInstance} makes it, else {@code plainJava}'s instance.
     * When the module is absent, logs once per {@code path} and JVM that {@code path} (e.g. "fast LSTM inference")
     * runs in plain Java.
     */
    static <T> T vectorOrPlainJava(String path, Class<T> type, String simpleName, Supplier<? extends T> plainJava,
                                   Object... args) {
        if (!available() && FALLBACK_LOGGED.add(path)) {
            LOG.warn("module {} is not available (start java with --add-modules {}): {} runs in plain Java, several "
                    + "times slower", MODULE, MODULE, path);
        }
        Optional<T> vector = newInstance(type, simpleName, args);
        return vector.isPresent() ? vector.get() : plainJava.get();
    }
}
