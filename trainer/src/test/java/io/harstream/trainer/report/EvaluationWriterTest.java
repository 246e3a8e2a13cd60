package io.harstream.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static TrainingOutcome outcome(List<String> classes, String split) {
        long[][] counts = {{50, 7, 3}, {4, 40, 6}, {0, 12, 28}};
        ConfusionMatrix cm = ConfusionMatrix.of(classes, counts);
        List<EpochStats> history = List.of(
                new EpochStats(1, 1.05, 0.52, 1.10, 0.50, 3.2),
                new EpochStats(2, 0.71, 0.68, 0.80, 0.64, 3.1),
                new EpochStats(3, 0.52, 0.77, 0.66, 0.71, 3.0),
                new EpochStats(4, 0.41, 0.83, 0.61, 0.74, 3.3));
        Map<String, String> hp = new LinkedHashMap<>();
        hp.put("recipe", "original");
        hp.put("epochs", "4");
        hp.put("learningRate", "0.0025");
        return TrainingOutcomeBuilder.builder().dataSource("synthetic (seed 42, 12 users)")
                .skipSummary("3 lines: malformed\n1 line: zero timestamp").readerNotes(List.of("resampled 2 blocks"))
                .classes(classes).splitMethod(split)
                .splitNote("random".equals(split) ? "80/20 over windows (leaky)" : "whole users held out")
                .trainUsers(List.of("1", "2", "3", "4")).testUsers(List.of("5", "6")).trainWindows(600).testWindows(150)
                .trainWindowsPerClass(new long[] {200, 210, 190}).testWindowsPerClass(new long[] {60, 50, 40})
                .hyperparameters(hp).history(history).confusion(cm).testLoss(0.61).trainingSeconds(12.6)
                .modelVersion("2024.1-test").build();
    }

    @Test
    void writesEveryFile(@TempDir Path dir) throws Exception {
        List<String> classes = List.of("Walking", "Jogging", "Upstairs");
        TrainingOutcome o = outcome(classes, "user");
        List<Path> files = EvaluationWriter.writeAll(o, dir.resolve("eval"));

        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("history.csv",
                "history.json", "metrics.json", "loss.png", "accuracy.png", "confusion_matrix.png", "report.html");
        assertThat(files).allSatisfy(p -> assertThat(p).isRegularFile().isNotEmptyFile());

        List<String> csv = Files.readAllLines(dir.resolve("eval/history.csv"));
        assertThat(csv).hasSize(5);
        assertThat(csv.get(0)).isEqualTo(
                "epoch,train_loss,train_accuracy,val_loss,val_accuracy,test_loss,test_accuracy,seconds");
        assertThat(csv.get(1)).isEqualTo("1,1.050000,0.520000,NaN,NaN,1.100000,0.500000,3.200");

        JsonNode history = JSON.readTree(dir.resolve("eval/history.json").toFile());
        assertThat(names(history)).containsExactly("train_loss", "train_accuracy", "val_loss", "val_accuracy",
                "test_loss", "test_accuracy", "epoch_seconds");
        history.forEach(a -> assertThat(a.size()).isEqualTo(4));
        assertThat(history.get("test_accuracy").get(3).asDouble()).isEqualTo(0.74);

        JsonNode m = JSON.readTree(dir.resolve("eval/metrics.json").toFile());
        assertThat(names(m)).startsWith("split", "windows", "classes", "testAccuracy", "testLoss", "macroF1",
                "perClass", "confusionMatrix", "epochs", "trainingSeconds", "modelVersion", "hyperparameters",
                "dataSource");
        long total = 0;
        long diagonal = 0;
        JsonNode counts = m.get("confusionMatrix").get("counts");
        for (int i = 0; i < counts.size(); i++) {
            for (int j = 0; j < counts.get(i).size(); j++) {
                total += counts.get(i).get(j).asLong();
                diagonal += i == j ? counts.get(i).get(j).asLong() : 0;
            }
        }
        assertThat(total).isEqualTo(o.testWindows());
        assertThat(m.get("testAccuracy").asDouble()).isCloseTo((double) diagonal / total, within(1e-12));
        assertThat(m.get("confusionMatrix").get("rows").asText()).isEqualTo("actual");
        assertThat(m.get("confusionMatrix").get("columns").asText()).isEqualTo("predicted");
        assertThat(m.get("split").get("method").asText()).isEqualTo("user");
        assertThat(m.get("split").get("testUsers")).hasSize(2);
        assertThat(m.get("windows").get("testPerClass").get("Jogging").asLong()).isEqualTo(50);
        assertThat(m.get("perClass").get(2).get("class").asText()).isEqualTo("Upstairs");
        assertThat(m.get("perClass").get(2).get("recall").asDouble()).isCloseTo(28.0 / 40, within(1e-12));
        assertThat(m.get("epochs").asInt()).isEqualTo(4);
        assertThat(names(m.get("hyperparameters"))).containsExactly("recipe", "epochs", "learningRate");
        assertThat(m.get("modelVersion").asText()).isEqualTo("2024.1-test");

        assertImage(dir.resolve("eval/loss.png"), new Dimension(800, 500));
        assertImage(dir.resolve("eval/accuracy.png"), new Dimension(800, 500));
        assertImage(dir.resolve("eval/confusion_matrix.png"), Plots.confusionMatrixSize(o.confusion()));

        String html = Files.readString(dir.resolve("eval/report.html"));
        assertThat(html).contains(classes).contains("2024.1-test")
                .contains(HtmlReport.pct2(o.confusion().accuracy())).contains("78.67%")
                .contains("30% of actual Upstairs windows were predicted Jogging (12 windows)")
                .doesNotContain("<script").doesNotContain("http://").doesNotContain("https://")
                .doesNotContain("leaky");
        assertThat(count(html, "data:image/png;base64,")).isEqualTo(3);
    }

    @Test
    void calibrationFiguresAndTheReliabilityDiagramAreWritten(@TempDir Path dir) throws Exception {
        List<String> classes = List.of("Walking", "Jogging", "Upstairs");
        TrainingOutcome raw = outcome(classes, "user");
        float[][] p = {{0.95f, 0.03f, 0.02f}, {0.9f, 0.05f, 0.05f}, {0.4f, 0.35f, 0.25f}};
        int[] labels = {0, 1, 0};
        float[][] q = {{0.8f, 0.1f, 0.1f}, {0.7f, 0.2f, 0.1f}, {0.38f, 0.34f, 0.28f}};
        CalibrationFigures c = new CalibrationFigures(1.8, 0.5, "calibration network", List.of("3"), 120, 0.2, 0.04,
                Map.of(0.5, 0.91, 1.0, 0.9), Reliability.of(p, labels), Reliability.of(q, labels), null,
                new CalibrationFigures.Hindsight(2.5, 0.03));
        List<Path> files = EvaluationWriter.writeAll(raw.withCalibration(c), dir);
        assertThat(files.get(files.size() - 1).getFileName().toString()).isEqualTo(EvaluationWriter.RELIABILITY_PNG);
        assertThat(ImageIO.read(dir.resolve(EvaluationWriter.RELIABILITY_PNG).toFile()).getWidth())
                .isEqualTo(Plots.CHART_WIDTH);
        JsonNode m = JSON.readTree(dir.resolve("metrics.json").toFile());
        assertThat(m.at("/calibration/temperature").asDouble()).isEqualTo(1.8);
        assertThat(m.at("/calibration/evidenceExponent").asDouble()).isEqualTo(0.5);
        assertThat(m.at("/calibration/test/eceBefore").asDouble()).isCloseTo(c.testBefore().ece(), within(1e-12));
        assertThat(m.at("/calibration/test/expectedAccuracy").asDouble())
                .isCloseTo((0.8 + 0.7 + 0.38) / 3, within(1e-6));
        assertThat(m.at("/calibration/test/realizedAccuracy").asDouble()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(m.at("/calibration/fittedOn/users/0").asText()).isEqualTo("3");
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("Calibration (test set)").contains("expected accuracy");
        assertThat(EvaluationWriter.writeAll(raw, dir.resolve("raw"))).extracting(f -> f.getFileName().toString())
                .doesNotContain(EvaluationWriter.RELIABILITY_PNG);
    }

    @Test
    void smoothedFiguresAndTheStripPlotAreWrittenBesideTheRawOnes(@TempDir Path dir) throws Exception {
        List<String> classes = List.of("Walking", "Jogging", "Upstairs");
        TrainingOutcome raw = outcome(classes, "user");
        ConfusionMatrix better = ConfusionMatrix.of(classes, new long[][] {{58, 1, 1}, {2, 47, 1}, {1, 3, 36}});
        int n = 3000;
        int[] actual = new int[n];
        int[] predicted = new int[n];
        for (int i = 0; i < n; i++) {
            actual[i] = (i / 700) % 3;
            predicted[i] = i % 97 == 0 ? (actual[i] + 1) % 3 : actual[i];
        }
        TrainingOutcome o = raw.withSmoothed(new SmoothedFigures(better, Map.of("5", better), Map.of(5, better),
                better, Map.of("5", better)))
                .withStrip(new ActivityStrip("5", classes, actual, predicted, actual, List.of(0, 700)));
        List<Path> files = EvaluationWriter.writeAll(o, dir);
        assertThat(files.get(files.size() - 1).getFileName().toString()).isEqualTo(EvaluationWriter.SMOOTHING_PNG);
        BufferedImage strip = ImageIO.read(dir.resolve(EvaluationWriter.SMOOTHING_PNG).toFile());
        assertThat(strip.getWidth()).isEqualTo(Plots.STRIP_WIDTH);
        JsonNode m = JSON.readTree(dir.resolve("metrics.json").toFile());
        assertThat(m.at("/smoothed/testAccuracy").asDouble()).isCloseTo(better.accuracy(), within(1e-12));
        assertThat(m.at("/smoothed/fixedLag/0/lagWindows").asInt()).isEqualTo(5);
        assertThat(m.at("/smoothed/fixedLag/0/confusionMatrix/counts").toString())
                .as("the lag's matrix, for the stream-app's replay check").isEqualTo("[[58,1,1],[2,47,1],[1,3,36]]");
        assertThat(m.at("/testAccuracy").asDouble()).isCloseTo(raw.confusion().accuracy(), within(1e-12));
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("Smoothing over time").contains("smoothed (causal)")
                .contains(HtmlReport.pct2(better.accuracy())).contains("fixed lag 5 windows");
        assertThat(count(html, "data:image/png;base64,")).isEqualTo(4);
        // without smoothing: no strip plot, no smoothed section
        assertThat(EvaluationWriter.writeAll(raw, dir.resolve("raw"))).extracting(p -> p.getFileName().toString())
                .doesNotContain(EvaluationWriter.SMOOTHING_PNG);
        assertThat(Files.readString(dir.resolve("raw/report.html"))).doesNotContain("Smoothing over time");
    }

    @Test
    void randomSplitIsFlaggedAsLeaky(@TempDir Path dir) throws Exception {
        EvaluationWriter.writeAll(outcome(List.of("A", "B", "C"), "random"), dir);
        assertThat(Files.readString(dir.resolve("report.html"))).contains("Random split — leaky");
    }

    @Test
    void escapesClassNamesInHtml(@TempDir Path dir) throws Exception {
        List<String> classes = List.of("A<b>&", "B\"q'", "C");
        EvaluationWriter.writeAll(outcome(classes, "user"), dir);
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("A&lt;b&gt;&amp;").contains("B&quot;q&#39;")
                .doesNotContain("A<b>").doesNotContain("B\"q");
        JsonNode m = JSON.readTree(dir.resolve("metrics.json").toFile());
        assertThat(m.get("classes").get(0).asText()).isEqualTo("A<b>&");
    }

    @Test
    void emptyHistoryAndEmptyMatrixStillWrite(@TempDir Path dir) throws Exception {
        List<String> classes = List.of("A", "B");
        TrainingOutcome o = TrainingOutcomeBuilder.builder().dataSource("x").skipSummary("").classes(classes)
                .splitMethod("user").splitNote("").trainUsers(List.of()).testUsers(List.of())
                .trainWindowsPerClass(new long[2]).testWindowsPerClass(new long[2]).hyperparameters(Map.of())
                .history(List.of()).confusion(new ConfusionMatrix(classes)).testLoss(Double.NaN).modelVersion("v0")
                .build();
        List<Path> files = EvaluationWriter.writeAll(o, dir);
        assertThat(files).hasSize(7);
        assertThat(JSON.readTree(dir.resolve("metrics.json").toFile()).get("testLoss").isNull()).isTrue();
        assertThat(Files.readAllLines(dir.resolve("history.csv"))).hasSize(1);
        assertThat(ImageIO.read(dir.resolve("loss.png").toFile())).isNotNull();
        assertThat(ImageIO.read(dir.resolve("confusion_matrix.png").toFile())).isNotNull();
    }

    @Test
    void nonFiniteHistoryValuesBecomeNullInJson(@TempDir Path dir) throws Exception {
        List<String> classes = List.of("A", "B", "C");
        TrainingOutcome base = outcome(classes, "user");
        List<EpochStats> h = new ArrayList<>(base.history());
        h.set(2, new EpochStats(3, Double.NaN, 0.7, Double.POSITIVE_INFINITY, 0.7, 3));
        TrainingOutcome o = base.with(b -> b.splitNote("").history(h).testLoss(0.6).trainingSeconds(10)
                .modelVersion("v"));
        EvaluationWriter.writeAll(o, dir);
        JsonNode history = JSON.readTree(dir.resolve("history.json").toFile());
        assertThat(history.get("train_loss").get(2).isNull()).isTrue();
        assertThat(history.get("test_loss").get(2).isNull()).isTrue();
        assertThat(ImageIO.read(dir.resolve("loss.png").toFile())).isNotNull();
    }

    @Test
    void rejectsMismatchedClasses(@TempDir Path dir) {
        TrainingOutcome base = outcome(List.of("A", "B", "C"), "user");
        TrainingOutcome o = TrainingOutcomeBuilder.builder().dataSource("x").skipSummary("")
                .classes(List.of("A", "B", "D")).splitMethod("user").splitNote("").trainUsers(List.of())
                .testUsers(List.of()).trainWindows(1).testWindows(1).trainWindowsPerClass(new long[3])
                .testWindowsPerClass(new long[3]).hyperparameters(Map.of()).history(base.history())
                .confusion(base.confusion()).modelVersion("v").build();
        assertThatThrownBy(() -> EvaluationWriter.writeAll(o, dir)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertImage(Path png, Dimension expected) throws Exception {
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img).as(png.toString()).isNotNull();
        assertThat(new Dimension(img.getWidth(), img.getHeight())).isEqualTo(expected);
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
