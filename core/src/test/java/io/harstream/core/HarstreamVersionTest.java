package io.harstream.core;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class HarstreamVersionTest {

    /** The pom's version, passed by surefire: independent of the resource under test. */
    static final String BUILD_VERSION = System.getProperty("harstream.build.version");

    @Test
    void versionIsTheBuildsAsFilteredByMaven() {
        assertThat(BUILD_VERSION).isNotBlank();
        assertThat(HarstreamVersion.version()).isEqualTo(BUILD_VERSION);
        assertThat(HarstreamVersion.line()).isEqualTo("harstream " + BUILD_VERSION);
    }

    @Command(name = "probe", mixinStandardHelpOptions = true, versionProvider = HarstreamVersion.class)
    static final class Probe implements Runnable {
        @Override
        public void run() {
        }
    }

    @Test
    void picocliPrintsTheLineForVersion() {
        StringWriter out = new StringWriter();
        int status = new CommandLine(new Probe()).setOut(new PrintWriter(out)).execute("--version");
        assertThat(status).isZero();
        assertThat(out.toString()).isEqualTo("harstream " + BUILD_VERSION + System.lineSeparator());
    }
}
