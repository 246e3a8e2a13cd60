package io.harstream.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line: help, option checks and the exit code and message for each kind of bad input. */
class SimulateCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err, Duration took) {
    }

    static Run simulate(String... args) {
        CommandLine cl = SimulateCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        long t0 = System.nanoTime();
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString(), Duration.ofNanos(System.nanoTime() - t0));
    }

    static int unusedLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void assertOneLineError(Run run, String expected) {
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("simulate: ").contains(expected).doesNotContain("\tat ", "Exception");
        assertThat(run.err().strip().lines()).hasSize(1);
    }

    @Test
    void helpListsEveryOption() {
        Run run = simulate("--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("--test-set", "--bootstrap-servers", "--topic", "--kafka", "--speed",
                "--as-fast-as-possible", "--max-rate", "--loop", "--devices", "--stagger-ms", "--max-gap-ms",
                "--malformed-fraction", "--drift", "--connect-timeout", "--progress-interval", "Exit codes");
    }

    @Test
    void aMissingTestSetIsExit2() {
        assertOneLineError(simulate("--test-set", dir.resolve("missing.txt").toString()), "does not exist");
    }

    @Test
    void anEmptyTestSetIsExit2() throws IOException {
        Path empty = Files.createFile(dir.resolve("test-set.txt"));
        assertOneLineError(simulate("--test-set", empty.toString()), "holds no samples");
    }

    @Test
    void aTestSetWithoutValidLinesIsExit2() throws IOException {
        Path bad = Files.writeString(dir.resolve("test-set.txt"), "not,a,wisdm,line\n\n;;\n");
        assertOneLineError(simulate("--test-set", bad.toString()), "no valid WISDM v1.1 line");
    }

    @Test
    void anUnreachableBrokerIsExit2WithinTheTimeout() throws IOException {
        Path file = TestSets.twoUsers(dir);
        int port = unusedLoopbackPort();
        Run run = simulate("--test-set", file.toString(), "--bootstrap-servers", "127.0.0.1:" + port,
                "--connect-timeout", "2");
        assertOneLineError(run, "cannot reach Kafka at 127.0.0.1:" + port + " within 2 s");
        assertThat(run.took()).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void anUnresolvableBrokerIsExit2() throws IOException {
        Path file = TestSets.twoUsers(dir);
        Run run = simulate("--test-set", file.toString(), "--bootstrap-servers", "no-such-host.invalid:9092",
                "--connect-timeout", "2");
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).startsWith("simulate: ").contains("no-such-host.invalid").doesNotContain("\tat ");
    }

    @Test
    void inconsistentOptionsAreExit2() throws IOException {
        String file = TestSets.twoUsers(dir).toString();
        assertOneLineError(simulate("--test-set", file, "--speed", "5", "--as-fast-as-possible"), "exclude each other");
        assertOneLineError(simulate("--test-set", file, "--speed", "0"), "speed must be a positive number");
        assertOneLineError(simulate("--test-set", file, "--malformed-fraction", "1.5"), "--malformed-fraction");
        assertOneLineError(simulate("--test-set", file, "--devices", "0"), "--devices");
        assertOneLineError(simulate("--test-set", file, "--max-rate", "-3"), "maximum rate");
        assertOneLineError(simulate("--test-set", file, "--connect-timeout", "0"), "--connect-timeout");
        assertOneLineError(simulate("--test-set", file, "--drift", "rotate=east"), "--drift rotate=east: not a finite number");
        assertOneLineError(simulate("--test-set", file, "--drift", "skew=Swimming"), "Swimming not in the test set");
    }

    @Test
    void unknownOptionsAreAUsageError() {
        Run run = simulate("--test-set", "x", "--sped", "3");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown options: '--sped'", "Possible solutions: --speed");
    }

    @Test
    void passesKafkaSettingsThroughAfterItsOwn() {
        SimulateCommand cmd = new SimulateCommand();
        new CommandLine(cmd).parseArgs("--test-set", "x", "--kafka", "security.protocol=SASL_SSL", "--kafka",
                "linger.ms=50", "--kafka", "value.serializer=nope", "--bootstrap-servers", "k1:9093,k2:9093");
        KafkaTarget target = new KafkaTarget(cmd.bootstrapServers, cmd.topic, cmd.kafkaSettings, Duration.ofSeconds(30));
        Map<String, Object> c = target.producerConfig();
        assertThat(c).containsEntry("security.protocol", "SASL_SSL").containsEntry("linger.ms", "50")
                .containsEntry("bootstrap.servers", "k1:9093,k2:9093").containsEntry("enable.idempotence", true)
                .containsEntry("acks", "all").containsEntry("max.block.ms", 30_000)
                .containsEntry("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    }

    @Test
    void progressLineSaysRateDevicesAndElapsedTime() {
        SimulatorStats before = new SimulatorStats(1_000, Map.of(), 990, 0, 60, 58, 1, Duration.ofSeconds(5), true);
        SimulatorStats now = new SimulatorStats(13_345, Map.of(), 13_000, 2, 60, 57, 2, Duration.ofSeconds(65), true);
        assertThat(SimulateCommand.progressLine(now, before))
                .isEqualTo("sent 13,345 events (206/s), 57 of 60 devices active, pass 2, 2 send errors, 0:01:05");
    }
}
