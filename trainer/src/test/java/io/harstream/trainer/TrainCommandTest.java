package io.harstream.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.window.AxesFrame;
import io.harstream.core.window.WindowSpec;
import io.harstream.trainer.fit.Backprop;
import io.harstream.trainer.recipe.Recipe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** End to end: the trainer on a small synthetic set, every output checked for consistency. */
class TrainCommandTest {

    /** Small enough to train in seconds: 4 users x 6 activities x 30 s, 40-sample windows, a tiny network. */
    static final List<String> SMALL = List.of("--data", "synthetic", "--synthetic-users", "4",
            "--synthetic-seconds", "30", "--window", "40", "--hop", "20", "--epochs", "3", "--batch-size", "64",
            "--hidden", "8", "--seed", "7");

    @TempDir
    static Path tmp;
    static Path out;
    static Run run;

    record Run(int exit, String out, String err) {
    }

    static Run train(List<String> base, String... more) {
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of(more));
        CommandLine cl = TrainCommand.commandLine();
        StringWriter err = new StringWriter();
        StringWriter sout = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(sout, true));
        int code = cl.execute(args.toArray(String[]::new));
        return new Run(code, sout.toString(), err.toString());
    }

    @BeforeAll
    static void trainOnce() {
        out = tmp.resolve("model");
        run = train(SMALL, "--out", out.toString());
    }

    @Test
    void writesEveryOutput() {
        assertThat(run.exit()).as(run.err()).isZero();
        for (String f : List.of("model.zip", "model.json", "history.csv", "history.json", "metrics.json", "loss.png",
                "accuracy.png", "confusion_matrix.png", "report.html", "test-set.txt")) {
            assertThat(out.resolve(f)).as(f).isNotEmptyFile();
        }
    }

    @Test
    void metricsAreConsistentWithTheConfusionMatrix() throws IOException {
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        JsonNode counts = m.at("/confusionMatrix/counts");
        long total = 0;
        long diagonal = 0;
        for (int i = 0; i < counts.size(); i++) {
            for (int j = 0; j < counts.get(i).size(); j++) {
                total += counts.get(i).get(j).asLong();
                if (i == j) {
                    diagonal += counts.get(i).get(j).asLong();
                }
            }
        }
        assertThat(counts.size()).isEqualTo(6);
        assertThat(total).isEqualTo(m.at("/windows/test").asLong()).isPositive();
        assertThat(m.get("testAccuracy").asDouble()).isEqualTo((double) diagonal / total);
        assertThat(m.at("/split/method").asText()).isEqualTo("user");
        // whole users held out: no user on both sides
        List<String> trainUsers = new ArrayList<>();
        m.at("/split/trainUsers").forEach(u -> trainUsers.add(u.asText()));
        m.at("/split/testUsers").forEach(u -> assertThat(trainUsers).doesNotContain(u.asText()));
    }

    @Test
    void historyHasOneRowPerEpoch() throws IOException {
        List<String> csv = Files.readAllLines(out.resolve("history.csv"));
        assertThat(csv).hasSize(1 + 3);
        JsonNode h = new ObjectMapper().readTree(out.resolve("history.json").toFile());
        assertThat(h.get("test_accuracy").size()).isEqualTo(3);
        assertThat(h.get("train_loss").size()).isEqualTo(3);
    }

    @Test
    void bundleLoadsAndRecordsTheSplitAndData() {
        ModelBundle b = ModelBundle.load(out);
        assertThat(b.classes()).containsExactly("Walking", "Jogging", "Upstairs", "Downstairs", "Sitting", "Standing");
        assertThat(b.manifest().window().length()).isEqualTo(40);
        assertThat(b.manifest().split().method()).isEqualTo("user");
        assertThat(b.manifest().dataset().fingerprint()).hasSize(64);
        assertThat(b.manifest().metrics().testAccuracy()).isBetween(0.0, 1.0);
        // smoothing is on by default: learned from the training people, carried by the bundle
        assertThat(b.manifest().smoothing().problem(b.classes())).isNull();
        assertThat(b.manifest().smoothing().hopMs()).isEqualTo(b.manifest().window().hop() * 50L);
        // calibrated by default, on a training person held out by the calibration network, never a test person
        assertThat(b.manifest().calibration().problem()).isNull();
        assertThat(b.manifest().calibration().fittedOn()).hasSize(1)
                .isSubsetOf(b.manifest().split().trainUsers()).doesNotContainAnyElementsOf(b.manifest().split().testUsers());
        assertThat(CalibrationFit.EXPONENTS).contains(b.manifest().smoothing().evidenceExponent());
    }

    @Test
    void calibrationIsRecordedAndLeavesTheNetworkAsItWouldBeWithout() throws IOException {
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        JsonNode c = m.get("calibration");
        assertThat(c.at("/fittedOn/source").asText()).isEqualTo("calibration network");
        assertThat(c.at("/test/realizedAccuracy").asDouble()).isEqualTo(m.get("testAccuracy").asDouble());
        assertThat(c.at("/test/expectedAccuracy").asDouble()).isBetween(1.0 / 6, 1.0);
        assertThat(c.at("/test/reliabilityAfter/counts")).hasSize(15);
        assertThat(c.get("temperature").asDouble())
                .isEqualTo(ModelBundle.load(out).manifest().calibration().temperature());
        assertThat(Files.exists(out.resolve("reliability.png"))).isTrue();

        Path plain = tmp.resolve("uncalibrated");
        Run r = train(SMALL, "--calibration-users", "0", "--out", plain.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode n = new ObjectMapper().readTree(plain.resolve("metrics.json").toFile());
        assertThat(n.get("calibration")).isNull();
        assertThat(ModelBundle.load(plain).manifest().calibration()).isNull();
        assertThat(ModelBundle.load(plain).manifest().smoothing().evidenceExponent()).isEqualTo(1.0);
        // the final network trains before and apart from the calibration network: the same network either way
        assertThat(n.get("confusionMatrix")).isEqualTo(m.get("confusionMatrix"));
        assertThat(withoutSeconds(plain.resolve("history.csv"))).isEqualTo(withoutSeconds(out.resolve("history.csv")));
        assertThat(ModelBundle.load(plain).network().params()).isEqualTo(ModelBundle.load(out).network().params());
    }

    @Test
    void sameSeedSameSplitAndMetrics() throws IOException {
        Path again = tmp.resolve("again");
        Run second = train(SMALL, "--out", again.toString());
        assertThat(second.exit()).as(second.err()).isZero();
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(out.resolve("metrics.json").toFile());
        JsonNode b = json.readTree(again.resolve("metrics.json").toFile());
        for (String field : List.of("split", "windows", "confusionMatrix", "testAccuracy", "testLoss", "perClass")) {
            assertThat(b.get(field)).as(field).isEqualTo(a.get(field));
        }
        assertThat(Files.readAllBytes(again.resolve("test-set.txt")))
                .isEqualTo(Files.readAllBytes(out.resolve("test-set.txt")));
    }

    /** --init-seed redraws the training alone: same split and test set, another initialisation and order. */
    @Test
    void initSeedKeepsTheSplitAndChangesOnlyTheTraining() throws IOException {
        Path other = tmp.resolve("init-seed");
        Run second = train(SMALL, "--out", other.toString(), "--init-seed", "8");
        assertThat(second.exit()).as(second.err()).isZero();
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(out.resolve("metrics.json").toFile());
        JsonNode b = json.readTree(other.resolve("metrics.json").toFile());
        for (String field : List.of("split", "windows")) {
            assertThat(b.get(field)).as(field).isEqualTo(a.get(field));
        }
        assertThat(Files.readAllBytes(other.resolve("test-set.txt")))
                .isEqualTo(Files.readAllBytes(out.resolve("test-set.txt")));
        assertThat(a.at("/hyperparameters/seed").asText()).isEqualTo("7");
        assertThat(a.at("/hyperparameters/init seed").asText()).isEqualTo("7");
        assertThat(b.at("/hyperparameters/seed").asText()).isEqualTo("7");
        assertThat(b.at("/hyperparameters/init seed").asText()).isEqualTo("8");
        assertThat(b.get("testLoss")).as("another training draw: the same seed's loss is reproducible, this one differs")
                .isNotEqualTo(a.get("testLoss"));
    }

    /** harstream's backprop is the default; DL4J's stays selectable, and the choice is recorded. */
    @Test
    void backpropIsRecordedAndDl4jsIsSelectable() throws IOException {
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(out.resolve("metrics.json").toFile()).at("/hyperparameters/backprop").asText())
                .isEqualTo("harstream");
        Path dl4j = tmp.resolve("dl4j");
        Run r = train(SMALL, "--out", dl4j.toString(), "--backprop", "dl4j", "--epochs", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(json.readTree(dl4j.resolve("metrics.json").toFile()).at("/hyperparameters/backprop").asText())
                .isEqualTo("dl4j");
        Run bad = train(SMALL, "--out", tmp.resolve("bad").toString(), "--backprop", "fast");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("Invalid value for option '--backprop'").contains("HARSTREAM, DL4J")
                .contains("but was 'fast'").doesNotContain("Exception");
    }

    @Test
    void missingDataPathIsOneClearMessage() {
        Run r = train(List.of("--data", tmp.resolve("nowhere.txt").toString(), "--out", tmp.resolve("x").toString()));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("nowhere.txt").contains("no such file").doesNotContain("Exception");
    }

    @Test
    void emptyDatasetAfterFilteringIsRefused() throws IOException {
        Path file = tmp.resolve("only-bad.txt");
        Files.writeString(file, "1,Dancing,1000000000,1.0,2.0,3.0;\n\n1,Walking,0,1,2,3;\n");
        Run r = train(List.of("--data", file.toString(), "--out", tmp.resolve("y").toString()));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no samples left");
    }

    @Test
    void windowLongerThanEverySeriesIsRefused() {
        Run r = train(SMALL, "--window", "5000", "--out", tmp.resolve("z").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no series is long enough for a window of 5000 samples")
                // 30 s per activity in two blocks of 15 s at 20 Hz
                .contains("the longest uninterrupted series has 300 samples");
    }

    @Test
    void classWithoutTrainingWindowsIsNamed() throws IOException {
        // user 1 has Walking and Sitting, user 2 only Walking: holding out user 1 leaves Sitting untrained
        StringBuilder sb = new StringBuilder();
        for (String[] block : new String[][] {{"1", "Walking"}, {"1", "Sitting"}, {"2", "Walking"}}) {
            long t0 = block[1].equals("Sitting") ? 9_000_000_000_000L : 1_000_000_000_000L;
            for (int i = 0; i < 60; i++) {
                sb.append(block[0]).append(',').append(block[1]).append(',').append(t0 + i * 50_000_000L)
                        .append(",0.1,9.8,").append(i % 3).append(";\n");
            }
        }
        Path file = tmp.resolve("two-users.txt");
        Files.writeString(file, sb.toString());
        Run r = train(List.of("--data", file.toString(), "--activities", "Walking,Sitting", "--window", "20",
                "--test-users", "1", "--epochs", "1", "--out", tmp.resolve("w").toString()));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("class Sitting has no training windows");
    }

    @Test
    void randomSplitIsLabelledLeaky() throws IOException {
        Path dir = tmp.resolve("random");
        Run r = train(SMALL, "--split", "random", "--epochs", "1", "--out", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode m = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        assertThat(m.at("/split/method").asText()).isEqualTo("random");
        assertThat(m.at("/split/note").asText()).contains("leaky");
        assertThat(Files.readString(dir.resolve("report.html"))).containsIgnoringCase("leaky");
        assertThat(r.out()).contains("LEAKY");
    }

    @Test
    void crossValidationCoversEveryUserOnceAndRecordsTheFigures() throws IOException {
        Path dir = tmp.resolve("cv");
        List<String> args = List.of("--cv", "3", "--epochs", "1", "--baseline-trees", "10", "--synthetic-users", "6",
                "--validation-fraction", "0.25");
        Run r = train(SMALL, concat(args, "--out", dir.toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode cv = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile()).get("crossValidation");
        assertThat(cv.get("folds").asInt()).isEqualTo(3);
        List<String> testUsers = new ArrayList<>();
        long windows = 0;
        for (JsonNode fold : cv.get("perFold")) {
            fold.get("testUsers").forEach(u -> testUsers.add(u.asText()));
            windows += fold.get("testWindows").asLong();
            // validation users come from the fold's training users, never from its test users
            assertThat(fold.get("validationUsers")).isNotEmpty();
            fold.get("validationUsers").forEach(u -> assertThat(fold.get("testUsers").toString())
                    .doesNotContain("\"" + u.asText() + "\""));
            assertThat(fold.get("baselineAccuracy").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(testUsers).containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6");
        long summed = 0;
        for (JsonNode row : cv.at("/lstm/summedConfusionMatrix/counts")) {
            for (JsonNode c : row) {
                summed += c.asLong();
            }
        }
        assertThat(summed).isEqualTo(windows);
        assertThat(cv.get("perUser")).hasSize(6);
        // how each person's phone lay: the synthetic generator's gravity is about 9.8 in every activity
        for (JsonNode u : cv.get("perUser")) {
            assertThat(u.get("meanAcceleration").size()).as(u.toString()).isPositive();
            u.get("meanAcceleration").forEach(p -> assertThat(Math.sqrt(p.get("x").asDouble() * p.get("x").asDouble()
                    + p.get("y").asDouble() * p.get("y").asDouble() + p.get("z").asDouble() * p.get("z").asDouble()))
                    .as(u.toString()).isBetween(5.0, 15.0));
        }
        // Per user, the baseline too: its users' window-weighted accuracies add up to each fold's figure.
        for (JsonNode fold : cv.get("perFold")) {
            double correct = 0;
            for (JsonNode u : cv.get("perUser")) {
                if (u.get("fold").asInt() == fold.get("fold").asInt()) {
                    correct += u.get("baselineAccuracy").asDouble() * u.get("windows").asLong();
                }
            }
            assertThat(correct / fold.get("testWindows").asLong())
                    .isCloseTo(fold.get("baselineAccuracy").asDouble(), within(1e-9));
        }
        // Smoothed beside raw (the default): per fold, per user (adding up to the fold), summed over the folds.
        for (JsonNode fold : cv.get("perFold")) {
            double correct = 0;
            for (JsonNode u : cv.get("perUser")) {
                if (u.get("fold").asInt() == fold.get("fold").asInt()) {
                    correct += u.get("smoothedAccuracy").asDouble() * u.get("windows").asLong();
                }
            }
            assertThat(correct / fold.get("testWindows").asLong())
                    .isCloseTo(fold.get("smoothedAccuracy").asDouble(), within(1e-9));
            assertThat(fold.at("/fixedLag/5/accuracy").asDouble()).isBetween(0.0, 1.0);
        }
        long smoothedSummed = 0;
        for (JsonNode row : cv.at("/smoothed/summedConfusionMatrix/counts")) {
            for (JsonNode c : row) {
                smoothedSummed += c.asLong();
            }
        }
        assertThat(smoothedSummed).isEqualTo(windows);
        double mean = cv.at("/lstm/accuracy/mean").asDouble();
        assertThat(ModelBundle.load(dir).manifest().crossValidation().meanAccuracy()).isEqualTo(mean);
        assertThat(Files.readString(dir.resolve("report.html"))).contains("Cross-validation: 3 folds")
                .contains("Who holds it back").contains("Feature baseline").contains("phone (actual activity)")
                .contains("each person's walking frame");
        assertThat(r.out()).contains("3-fold leave-subjects-out: LSTM accuracy")
                .contains("3-fold leave-subjects-out: smoothed accuracy");

        Run again = train(SMALL, concat(args, "--out", tmp.resolve("cv-again").toString()));
        assertThat(again.exit()).as(again.err()).isZero();
        JsonNode cv2 = new ObjectMapper().readTree(tmp.resolve("cv-again/metrics.json").toFile()).get("crossValidation");
        for (String field : List.of("lstm", "baseline", "smoothed", "perUser")) {
            assertThat(cv2.get(field)).as(field).isEqualTo(cv.get(field));
        }
    }

    @Test
    void originalRecipeIsRecordedAndKeepsTheLastEpoch() throws IOException {
        Path dir = tmp.resolve("original-recipe");
        Run r = train(List.of("--data", "synthetic", "--synthetic-users", "4", "--synthetic-seconds", "30", "--window",
                "40", "--recipe", "original", "--epochs", "2", "--hidden", "8", "--baseline-trees", "0", "--out",
                dir.toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        ModelBundle b = ModelBundle.load(dir);
        assertThat(b.manifest().recipe()).containsEntry("recipe", "custom (from original)")
                .containsEntry("batch size", "1024").containsEntry("channels", "x,y,z")
                .containsEntry("augmentation", "none");
        assertThat(b.manifest().network().learningRate()).isEqualTo(0.0025);
        assertThat(b.manifest().network().dropout()).isZero();
        assertThat(b.axesFrame()).as("the seed read the phone's own axes").isEqualTo(AxesFrame.PHONE);
        JsonNode m = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        assertThat(m.get("epochChoice").asText()).contains("last epoch (2)");
        assertThat(m.has("baseline")).isFalse();
    }

    @Test
    void defaultRecipeKeepsTheLastEpochOfItsFixedSchedule() throws IOException {
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(m.get("epochChoice").asText()).contains("last epoch (3)").contains("test set played no part");
        assertThat(m.at("/validation/users")).isEmpty();
        assertThat(ModelBundle.load(out).manifest().channels()).containsExactly("x", "y", "z", "magnitude");
        assertThat(ModelBundle.load(out).manifest().frame()).isEqualTo("walking");
    }

    @Test
    void validationFractionChoosesTheEpochOnValidationUsers() throws IOException {
        Path dir = tmp.resolve("validation");
        Run r = train(SMALL, "--validation-fraction", "0.34", "--baseline-trees", "0", "--out", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode m = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        assertThat(m.get("epochChoice").asText()).contains("best validation accuracy")
                .contains("test set played no part");
        List<String> validation = new ArrayList<>();
        m.at("/validation/users").forEach(u -> validation.add(u.asText()));
        assertThat(validation).isNotEmpty();
        m.at("/split/testUsers").forEach(u -> assertThat(validation).doesNotContain(u.asText()));
        assertThat(Files.readAllLines(dir.resolve("history.csv")).get(0)).contains("val_accuracy");
        assertThat(Files.readAllLines(dir.resolve("history.csv")).get(1)).doesNotContain("NaN");
        // with validation users there is no calibration network: the network's own predictions of them calibrate
        assertThat(m.at("/calibration/fittedOn/source").asText()).isEqualTo("validation users");
        assertThat(m.at("/calibration/fittedOn/users")).isEqualTo(m.at("/validation/users"));
    }

    /** The options' defaults are the request's: stated once, in TrainingRequest. */
    @Test
    void withoutOptionsTheRequestIsTheDefaultRequest() {
        CommandLine cl = TrainCommand.commandLine();
        cl.parseArgs();
        TrainCommand command = cl.getCommand();
        assertThat(command.request()).isEqualTo(TrainingRequest.defaults());
    }

    @Test
    void optionsMapToTheRequestAndEnumsIgnoreCase() {
        CommandLine cl = TrainCommand.commandLine();
        cl.parseArgs("--split", "RANDOM", "--backprop", "Dl4j", "--test-users", "3,5", "--init-seed", "8",
                "--window", "40", "--hop", "10", "--cv", "--workers", "3", "--recipe", "original", "--epochs", "2",
                "--synthetic-seconds", "30", "--smoothing", "NONE", "--out", "x");
        TrainingRequest r = ((TrainCommand) cl.getCommand()).request();
        assertThat(r.smoothing()).isEqualTo(Smoothing.NONE);
        assertThat(r.split()).isEqualTo(Split.Method.RANDOM);
        assertThat(r.backprop()).isEqualTo(Backprop.DL4J);
        assertThat(r.testUsers()).containsExactly("3", "5");
        assertThat(r.trainingSeed()).isEqualTo(8);
        assertThat(r.seed()).isEqualTo(42);
        assertThat(r.window()).isEqualTo(new WindowSpec(40, 10, 1000));
        assertThat(r.crossValidationFolds()).isEqualTo(5);
        assertThat(r.workers()).isEqualTo(3);
        assertThat(r.recipe()).isEqualTo(Recipe.original().withEpochs(2).withName("custom (from original)"));
        assertThat(r.data().syntheticSeconds()).isEqualTo(30);
        assertThat(r.out()).isEqualTo(Path.of("x"));
        cl.parseArgs("--split", "user");
        assertThat(((TrainCommand) cl.getCommand()).request().split()).isEqualTo(Split.Method.USER);
    }

    @Test
    void badRequestSettingsArePlainMessages() {
        Run r = train(List.of("--test-fraction", "1.5"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("train: --test-fraction must be between 0 and 1, got 1.5"
                + System.lineSeparator());
        Run calibration = train(List.of("--calibration-users", "1"));
        assertThat(calibration.exit()).isEqualTo(2);
        assertThat(calibration.err()).isEqualTo("train: --calibration-users must be at least 0 and below 1, got 1.0"
                + System.lineSeparator());
        Run hop = train(List.of("--hop", "0"));
        assertThat(hop.exit()).isEqualTo(2);
        assertThat(hop.err()).startsWith("train: window hop must be at least 1 sample");
    }

    /** history.csv without its last column (the epoch's wall time). */
    private static List<String> withoutSeconds(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    private static String[] concat(List<String> a, String... b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    @Test
    void helpListsTheOptions() {
        Run r = train(List.of("--help"));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--data", "--split", "--epochs", "--batch-size", "--window", "--hop", "--out",
                "--activities", "--test-fraction", "--seed", "--recipe", "--cv", "--augment", "--dropout",
                "--validation-fraction", "--baseline-trees", "Recipes", "original:", "default:");
    }

    /** A stray '%' in a description makes picocli print its raw text with a warning on every --help. */
    @Test
    void helpRendersWithoutFormatWarnings() {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            TrainCommand.commandLine().getUsageMessage();
        } finally {
            System.setErr(original);
        }
        assertThat(captured.toString()).doesNotContain("Could not format");
    }
}
