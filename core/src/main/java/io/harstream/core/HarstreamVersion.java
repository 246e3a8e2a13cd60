package io.harstream.core;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this build of harstream, as Maven stamped it into {@code io/harstream/core/version.properties}
 * (core's only filtered resource). Every command names this class as its picocli
 * {@link CommandLine.Command#versionProvider() versionProvider}, so {@code --version} prints the same line
 * everywhere: {@code harstream <version>}, e.g. {@code harstream 0.1.0-SNAPSHOT}.
 *
 * <p>Contract: {@link #version()} is the project version of the build that compiled core; it never returns a
 * placeholder. A class path without the filtered resource (core compiled outside Maven) is a broken build and
 * fails with {@link IllegalStateException} rather than print a made-up version.
 */
public final class HarstreamVersion implements CommandLine.IVersionProvider {

    private static final String RESOURCE = "version.properties";

    /** Public, with no arguments: picocli instantiates the provider reflectively. */
    public HarstreamVersion() {
    }

    /** The build's version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        return Holder.VERSION;
    }

    /** The line {@code --version} prints: {@code harstream <version>}. */
    public static String line() {
        return "harstream " + version();
    }

    @Override
    public String[] getVersion() {
        return new String[] {line()};
    }

    /** Read once, on first use. */
    private static final class Holder {
        static final String VERSION = read();

        private static String read() {
            Properties p = new Properties();
            try (InputStream in = HarstreamVersion.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("io/harstream/core/" + RESOURCE
                            + " is not on the class path: build core with Maven");
                }
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String v = p.getProperty("version", "");
            if (v.isBlank() || v.contains("${")) {
                throw new IllegalStateException("io/harstream/core/" + RESOURCE + " was not filtered by Maven: \""
                        + v + "\"");
            }
            return v.trim();
        }
    }
}
