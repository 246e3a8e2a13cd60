package io.harstream.simulator;

import io.harstream.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator against a SASL/PLAIN listener of a real broker: credentials passed with {@code --kafka} are used,
 * and wrong ones stop it with one line and exit 2.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SimulatorSaslTest {

    static EmbeddedKafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.startWithPlainUsers(Map.of("simulator", "simulator-secret"));
        broker.createTopic("sensor-events", 1);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private record Run(int exit, String out, String err) {
    }

    private Run simulate(String password) {
        List<String> args = new ArrayList<>(List.of("--test-set", dir.toString(), "--bootstrap-servers",
                broker.saslBootstrapServers(), "--as-fast-as-possible", "--connect-timeout", "10"));
        EmbeddedKafkaBroker.plainClientSettings("simulator", password)
                .forEach((k, v) -> args.addAll(List.of("--kafka", k + "=" + v)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = SimulateCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void theRightCredentialsSendEveryEvent() throws IOException {
        long samples = TestSetReader.read(TestSets.twoUsers(dir), null).sampleCount();
        Run run = simulate("simulator-secret");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("acknowledged by the broker " + samples + ", send errors 0");
    }

    @Test
    void wrongCredentialsAreOneLineAndExitTwo() throws IOException {
        TestSets.twoUsers(dir);
        Run run = simulate("wrong");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n")
                .startsWith("simulate: cannot connect to Kafka at " + broker.saslBootstrapServers() + ": ")
                .contains("Authentication failed");
    }
}
