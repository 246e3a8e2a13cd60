package io.harstream.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harstream.core.data.SharedData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Retrains the shipped model ({@code models/wisdm2019}) from the real data with the arguments it records
 * ({@code train-args}) and checks that the figures agree. Slow (a full 12-epoch training, several minutes on
 * 2 cores): {@code ./mvnw -B -Pslow verify}. Skips when the data is absent.
 */
@Tag("slow")
class ShippedModelRebuildTest {

    private static final Path SHIPPED = Path.of("..", "models", "wisdm2019");
    /**
     * How far the retrained figures may be from the shipped ones. The same arguments on the same kind of CPU
     * repeat the training bit for bit; another vector width sums in another order, and two training draws of
     * this recipe on these people differ by about a point.
     */
    private static final double NOISE = 0.03;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void theRecordedCommandRebuildsTheShippedModel() throws IOException {
        Path data = SharedData.wisdm2019Dir().orElse(null);
        Assumptions.assumeTrue(data != null, "no WISDM 2019 data (looked in " + SharedData.wisdm2019Searched() + ")");
        List<String> args = new ArrayList<>(List.of("--data", data.toString()));
        args.addAll(Arrays.asList(Files.readString(SHIPPED.resolve("train-args")).strip().split("\\s+")));
        args.addAll(List.of("--out", tmp.toString()));
        CommandLine cl = TrainCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute(args.toArray(String[]::new))).as("train %s: %s", args, err).isZero();

        ObjectMapper json = new ObjectMapper();
        JsonNode shipped = json.readTree(SHIPPED.resolve("metrics.json").toFile());
        JsonNode rebuilt = json.readTree(tmp.resolve("metrics.json").toFile());
        assertThat(rebuilt.at("/split")).as("the same people on each side").isEqualTo(shipped.at("/split"));
        assertThat(rebuilt.at("/classes")).isEqualTo(shipped.at("/classes"));
        assertThat(rebuilt.at("/windows")).as("the same windows").isEqualTo(shipped.at("/windows"));
        assertThat(rebuilt.at("/testAccuracy").asDouble()).isCloseTo(shipped.at("/testAccuracy").asDouble(), within(NOISE));
        assertThat(rebuilt.at("/macroF1").asDouble()).isCloseTo(shipped.at("/macroF1").asDouble(), within(NOISE));
        assertThat(rebuilt.at("/hyperparameters")).isEqualTo(shipped.at("/hyperparameters"));
    }
}
