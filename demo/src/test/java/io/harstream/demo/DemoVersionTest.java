package io.harstream.demo;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo answers {@code --version} as every other command does (bench's CommandVersionTest checks those). */
class DemoVersionTest {

    @Test
    void versionPrintsTheBuildsVersion() {
        String expected = System.getProperty("harstream.build.version");
        assertThat(expected).isNotBlank();
        StringWriter out = new StringWriter();
        CommandLine cl = DemoCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("--version")).isZero();
        assertThat(out.toString()).isEqualTo("harstream " + expected + System.lineSeparator());
    }
}
