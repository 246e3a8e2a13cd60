package io.harstream.ops;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** External tools for the tests: find them on PATH (or skip), run them with a timeout. */
final class Tools {

    /** The repository root: this module's parent directory ("..": surefire runs in the module directory). */
    static final Path ROOT = PromQueries.repoRoot(Path.of(""));

    /** The apt line that installs every tool these tests use (CI: .ci/run). */
    static final String APT_HINT = "apt-get install -y --no-install-recommends prometheus docker-compose";

    private Tools() {
    }

    /** An executable of that name on PATH. */
    static Optional<Path> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The tool, or the test is skipped with a message naming the package that brings it. */
    static Path require(String name, String debianPackage) {
        Optional<Path> tool = find(name);
        if (tool.isEmpty()) {
            String message = name + " is not on PATH: skipped. Install Debian's package '" + debianPackage + "' ("
                    + APT_HINT + ")";
            System.err.println("[ops-tests] " + message); // surefire shows stderr; a skip reason only in its reports
            assumeTrue(false, message);
        }
        return tool.get();
    }

    /** What a finished process did. */
    record Result(int exitCode, String output) {
        @Override
        public String toString() {
            return "exit " + exitCode + ":\n" + output;
        }
    }

    /** Runs {@code command} in {@code dir} with extra environment, stdout and stderr merged. */
    static Result run(List<String> command, Path dir, Map<String, String> env, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            Path log = Files.createTempFile("harstream-ops-", ".log");
            try {
                pb.redirectOutput(log.toFile());
                Process p = pb.start();
                p.getOutputStream().close();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError(command + " did not finish within " + timeout + ":\n"
                            + Files.readString(log, StandardCharsets.UTF_8));
                }
                return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    static Result run(List<String> command, Path dir) {
        return run(command, dir, Map.of(), Duration.ofMinutes(2));
    }
}
