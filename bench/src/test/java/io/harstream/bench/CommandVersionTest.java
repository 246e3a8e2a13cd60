package io.harstream.bench;

import io.harstream.simulator.SimulateCommand;
import io.harstream.streamapp.StreamApp;
import io.harstream.trainer.TrainCommand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command on this module's class path answers {@code --version} with the same line, the build's
 * version as the pom states it (passed by surefire). The demo's command is checked in the demo module.
 */
class CommandVersionTest {

    @ParameterizedTest
    @ValueSource(classes = {TrainCommand.class, StreamApp.class, SimulateCommand.class, TrainingBenchmark.class,
            InferenceBenchmark.class, StreamBenchmark.class, ModelArchiveBenchmark.class})
    void versionPrintsTheBuildsVersion(Class<?> command) {
        String expected = System.getProperty("harstream.build.version");
        assertThat(expected).isNotBlank();
        StringWriter out = new StringWriter();
        int status = new CommandLine(command).setOut(new PrintWriter(out)).execute("--version");
        assertThat(status).isZero();
        assertThat(out.toString()).isEqualTo("harstream " + expected + System.lineSeparator());
    }
}
