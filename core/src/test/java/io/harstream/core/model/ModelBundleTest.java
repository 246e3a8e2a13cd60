package io.harstream.core.model;

import io.harstream.core.features.Normalization;
import io.harstream.core.smoothing.ActivitySmoother;
import io.harstream.core.smoothing.SmoothingModel;
import io.harstream.core.window.AxesFrame;
import io.harstream.core.window.Window;
import io.harstream.core.window.WindowSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelBundleTest {

    private static final List<String> CLASSES = List.of("Walking", "Jogging", "Sitting");
    private static final WindowSpec SPEC = new WindowSpec(12, 4, 1000);

    @TempDir
    Path dir;

    private static List<Window> randomWindows(int n, int length) {
        Random r = new Random(7);
        List<Window> ws = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = new float[length];
            float[] y = new float[length];
            float[] z = new float[length];
            for (int t = 0; t < length; t++) {
                x[t] = (float) r.nextGaussian() * 3;
                y[t] = 9.8f + (float) r.nextGaussian();
                z[t] = (float) r.nextGaussian();
            }
            ws.add(new Window(0, 1, x, y, z, 0));
        }
        return ws;
    }

    @Test
    void roundTripsThroughADirectoryWithIdenticalOutputs() throws IOException {
        ModelBundle b = TestBundles.tiny(CLASSES, SPEC, 8, 1);
        b.save(dir);
        ModelBundle loaded = ModelBundle.load(dir);
        assertThat(loaded.manifest()).usingRecursiveComparison().isEqualTo(b.manifest());
        assertThat(loaded.network().params()).isEqualTo(b.network().params());
        List<Window> ws = randomWindows(5, SPEC.length());
        float[][] before = new ActivityClassifier(b).probabilities(ws);
        float[][] after = new ActivityClassifier(loaded).probabilities(ws);
        assertThat(after).isDeepEqualTo(before);
        assertThat(loaded.segmenter().spec()).isEqualTo(SPEC);
        for (float[] p : after) {
            float sum = 0;
            for (float v : p) {
                sum += v;
            }
            assertThat(sum).isBetween(0.999f, 1.001f);
        }
    }

    @Test
    void recipeRegularizationAndCrossValidationFiguresRoundTrip() throws IOException {
        NetworkConfig config = new NetworkConfig(4, CLASSES.size(), 6, 6, 2, 0.001, 0.0015, 5, 0.5, 2.0, 1.0, 10);
        Normalization norm = new Normalization(new double[] {0, 9.8, 0, 10}, new double[] {4, 4, 4, 3});
        BundleManifest base = TestBundles.manifest(CLASSES, SPEC, config, norm);
        BundleManifest manifest = base.with(m -> m.channels(List.of("x", "y", "z", "magnitude")).frame("walking")
                .network(config).recipe(java.util.Map.of("recipe", "default", "augmentation", "rotate=30,scale=0.1"))
                .crossValidation(new BundleManifest.CrossValidationFigures(5, 0.81, 0.05, 0.79, 0.06, 0.87, null)));
        new ModelBundle(manifest, HarNetwork.create(config, SPEC.length())).save(dir);

        ModelBundle loaded = ModelBundle.load(dir);
        assertThat(loaded.manifest().network()).isEqualTo(config);
        assertThat(loaded.manifest().recipe()).isEqualTo(manifest.recipe());
        assertThat(loaded.manifest().crossValidation()).isEqualTo(manifest.crossValidation());
        assertThat(loaded.preprocessor().channels()).hasSize(4);
        assertThat(loaded.axesFrame()).isEqualTo(AxesFrame.WALKING);
        // training-only settings live in DL4J's own configuration too: dropout and clipping survive the zip
        assertThat(loaded.network().getLayerWiseConfigurations().getConf(1).getLayer().getIDropout()).isNull();
        assertThat(loaded.network().getLayerWiseConfigurations().getConf(3).getLayer().getIDropout()).isNotNull();
    }

    @Test
    void bundleWithoutTheNewFieldsStillLoads() throws IOException {
        TestBundles.tiny(CLASSES, SPEC, 4, 3).save(dir);
        Path json = dir.resolve(ModelBundle.MANIFEST_FILE);
        String text = Files.readString(json);
        assertThat(text).doesNotContain("crossValidation");
        // a manifest written before dropout, clipping and decay existed
        Files.writeString(json, text.replaceAll(",\\s*\"(dropout|forgetGateBias|gradientClip|cosineDecayEpochs)\"\\s*:\\s*[0-9.]+", ""));
        assertThat(Files.readString(json)).doesNotContain("dropout");
        ModelBundle loaded = ModelBundle.load(dir);
        assertThat(loaded.manifest().network().dropout()).isZero();
        assertThat(loaded.manifest().crossValidation()).isNull();
        assertThat(text).doesNotContain("\"frame\"");
        assertThat(loaded.axesFrame()).isEqualTo(AxesFrame.PHONE);
        assertThat(text).doesNotContain("smoothing");
        assertThat(loaded.manifest().smoothed()).isFalse();
        assertThat(loaded.smoother()).isEmpty();
    }

    private static SmoothingModel smoothing() {
        return new SmoothingModel(200, 30_000, new double[] {0.5, 0.3, 0.2},
                new double[][] {{0.98, 0.01, 0.01}, {0.02, 0.97, 0.01}, {0.001, 0.004, 0.995}});
    }

    @Test
    void theSmoothingSectionRoundTrips() throws IOException {
        ModelBundle b = TestBundles.tiny(CLASSES, SPEC, 4, 3);
        new ModelBundle(b.manifest().withSmoothing(smoothing()), b.network()).save(dir);
        assertThat(Files.readString(dir.resolve(ModelBundle.MANIFEST_FILE))).contains("\"transitions\"");
        ModelBundle loaded = ModelBundle.load(dir);
        assertThat(loaded.manifest().smoothing()).isEqualTo(smoothing());
        assertThat(loaded.smoother()).get().extracting(ActivitySmoother::model).isEqualTo(smoothing());
    }

    @Test
    void smoothingRowsThatAreNotDistributionsAreRefusedInOneLine() throws IOException {
        ModelBundle b = TestBundles.tiny(CLASSES, SPEC, 4, 3);
        new ModelBundle(b.manifest().withSmoothing(smoothing()), b.network()).save(dir);
        rewriteManifest("0.97", "0.87");
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessage("model bundle " + dir + ": smoothing.transitions row 1 (Jogging) sums to 0.900000000,"
                        + " not 1 (tolerance 1e-06)");
        rewriteManifest("0.87", "\"NaN\"");
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageStartingWith("model bundle " + dir + ": smoothing.transitions row 1 (Jogging) holds NaN")
                .hasMessageNotContaining("\n");
        rewriteManifest("\"NaN\"", "0.97");
        rewriteManifest("0.995", "-0.005");
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageContaining("smoothing.transitions row 2 (Sitting) holds -0.005");
    }

    @Test
    void loadsFromOneZipFile() throws IOException {
        ModelBundle b = TestBundles.tiny(CLASSES, SPEC, 8, 2);
        b.save(dir.resolve("b"));
        Path zip = dir.resolve("bundle.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String f : List.of(ModelBundle.MODEL_FILE, ModelBundle.MANIFEST_FILE)) {
                out.putNextEntry(new ZipEntry(f));
                Files.copy(dir.resolve("b").resolve(f), out);
                out.closeEntry();
            }
        }
        assertThat(ModelBundle.load(zip).manifest().modelVersion()).isEqualTo("test-2");
    }

    @Test
    void missingBundleNamesThePath() {
        assertThatThrownBy(() -> ModelBundle.load(dir.resolve("nope")))
                .isInstanceOf(BundleException.class).hasMessageContaining("nope").hasMessageContaining("not found");
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        TestBundles.tiny(CLASSES, SPEC, 4, 3).save(dir);
        Files.delete(dir.resolve(ModelBundle.MODEL_FILE));
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageContaining("model.zip is missing");
        TestBundles.tiny(CLASSES, SPEC, 4, 3).save(dir);
        Files.delete(dir.resolve(ModelBundle.MANIFEST_FILE));
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageContaining("model.json is missing");
    }

    @Test
    void truncatedModelIsRefused() throws IOException {
        TestBundles.tiny(CLASSES, SPEC, 4, 3).save(dir);
        Path model = dir.resolve(ModelBundle.MODEL_FILE);
        byte[] bytes = Files.readAllBytes(model);
        Files.write(model, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageContaining(model.toString()).hasMessageContaining("not a readable DL4J model");
    }

    @Test
    void truncatedManifestIsRefused() throws IOException {
        TestBundles.tiny(CLASSES, SPEC, 4, 3).save(dir);
        Path json = dir.resolve(ModelBundle.MANIFEST_FILE);
        String text = Files.readString(json);
        Files.writeString(json, text.substring(0, text.length() / 2));
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageContaining("model.json").hasMessageContaining("not a valid manifest");
    }

    @Test
    void otherFormatVersionIsRefused() throws IOException {
        TestBundles.tiny(CLASSES, SPEC, 4, 3).save(dir);
        rewriteManifest("\"formatVersion\" : 1", "\"formatVersion\" : 99");
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageContaining("format version 99 is not supported");
    }

    @Test
    void classCountThatDoesNotMatchTheNetworkIsRefused() throws IOException {
        TestBundles.tiny(CLASSES, SPEC, 4, 3).save(dir);
        rewriteManifest("\"Sitting\"", "\"Sitting\", \"Standing\"");
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageContaining("the network has 3 outputs but model.json lists 4 classes");
    }

    @Test
    void channelsThatDoNotMatchTheNetworkAreRefused() throws IOException {
        TestBundles.tiny(CLASSES, SPEC, 4, 3).save(dir);
        rewriteManifest("\"z\" ]", "\"z\", \"magnitude\" ]");
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageContaining("normalization has 3 channels but the bundle lists 4");
    }

    @Test
    void unknownChannelAndDuplicateClassesAreRefused() throws IOException {
        TestBundles.tiny(CLASSES, SPEC, 4, 3).save(dir);
        rewriteManifest("\"z\" ]", "\"w\" ]");
        assertThatThrownBy(() -> ModelBundle.load(dir)).hasMessageContaining("unknown channel 'w'");
        TestBundles.tiny(CLASSES, SPEC, 4, 3).save(dir);
        rewriteManifest("\"Sitting\"", "\"Walking\"");
        assertThatThrownBy(() -> ModelBundle.load(dir)).hasMessageContaining("lists a class twice");
    }

    @Test
    void unknownAxesFrameIsRefused() throws IOException {
        TestBundles.tiny(CLASSES, SPEC, 4, 3).save(dir);
        rewriteManifest("\"z\" ]", "\"z\" ], \"frame\" : \"pocket\"");
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageContaining("unknown axes frame 'pocket' (known: phone, walking)");
    }

    @Test
    void zipWithoutTheBundleFilesIsRefused() throws IOException {
        Path zip = dir.resolve("x.zip");
        try (OutputStream o = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(o)) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.closeEntry();
        }
        assertThatThrownBy(() -> ModelBundle.load(zip)).isInstanceOf(BundleException.class)
                .hasMessageContaining("must contain model.json and model.zip");
        Path notZip = dir.resolve("y.bin");
        Files.writeString(notZip, "hello");
        assertThatThrownBy(() -> ModelBundle.load(notZip)).isInstanceOf(BundleException.class)
                .hasMessageContaining("neither a directory nor a readable zip file");
    }

    @Test
    void theCalibrationSectionRoundTripsAndScalesEveryProbability() throws IOException {
        ModelBundle b = TestBundles.tiny(CLASSES, SPEC, 4, 3);
        Calibration calibration = new Calibration(2.5, List.of("7", "9"), 120, 0.12, 0.03);
        new ModelBundle(b.manifest().withCalibration(calibration), b.network()).save(dir);
        ModelBundle loaded = ModelBundle.load(dir);
        assertThat(loaded.manifest().calibration()).isEqualTo(calibration);
        assertThat(loaded.temperature()).isEqualTo(2.5);

        List<Window> ws = randomWindows(5, SPEC.length());
        float[][] raw = new ActivityClassifier(b).probabilities(ws);
        float[][] calibrated = new ActivityClassifier(loaded).probabilities(ws);
        for (int i = 0; i < ws.size(); i++) {
            assertThat(calibrated[i]).isEqualTo(TemperatureScaling.apply(raw[i], 2.5));
            assertThat(ActivityClassifier.argmax(calibrated[i])).isEqualTo(ActivityClassifier.argmax(raw[i]));
        }
    }

    @Test
    void aBundleWithoutCalibrationHasTemperatureOneAndItsSmoothingExponentOne() throws IOException {
        ModelBundle b = TestBundles.tiny(CLASSES, SPEC, 4, 3);
        new ModelBundle(b.manifest().withSmoothing(smoothing()), b.network()).save(dir);
        rewriteManifest(",\n    \"evidenceExponent\" : 1.0", "");
        assertThat(Files.readString(dir.resolve(ModelBundle.MANIFEST_FILE))).doesNotContain("evidenceExponent")
                .doesNotContain("calibration");
        ModelBundle loaded = ModelBundle.load(dir);
        assertThat(loaded.temperature()).isEqualTo(1.0);
        assertThat(loaded.manifest().smoothing().evidenceExponent()).isEqualTo(1.0);
        List<Window> ws = randomWindows(3, SPEC.length());
        assertThat(new ActivityClassifier(loaded).probabilities(ws))
                .isDeepEqualTo(new ActivityClassifier(loaded.network(), loaded.preprocessor(), 1024).probabilities(ws));
    }

    @Test
    void aTemperatureThatIsNotFiniteAndPositiveIsRefusedInOneLine() throws IOException {
        ModelBundle b = TestBundles.tiny(CLASSES, SPEC, 4, 3);
        new ModelBundle(b.manifest().withCalibration(new Calibration(1.5, List.of("7"), 10, 0.1, 0.05)),
                b.network()).save(dir);
        rewriteManifest("\"temperature\" : 1.5", "\"temperature\" : 0.0");
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessage("model bundle " + dir + ": calibration.temperature must be a finite number above 0, got 0.0");
        rewriteManifest("\"temperature\" : 0.0", "\"temperature\" : -2.0");
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageEndingWith("got -2.0");
        rewriteManifest("\"temperature\" : -2.0", "\"temperature\" : \"NaN\"");
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageEndingWith("got NaN").hasMessageNotContaining("\n");
        rewriteManifest("\"temperature\" : \"NaN\"", "\"temperature\" : \"Infinity\"");
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageEndingWith("got Infinity");
        assertThatThrownBy(() -> new ActivityClassifier(b.network(), b.preprocessor(), 16, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("calibration.temperature");
    }

    @Test
    void aBadEvidenceExponentIsRefusedInOneLine() throws IOException {
        ModelBundle b = TestBundles.tiny(CLASSES, SPEC, 4, 3);
        new ModelBundle(b.manifest().withSmoothing(smoothing().withEvidenceExponent(0.25)), b.network()).save(dir);
        assertThat(ModelBundle.load(dir).manifest().smoothing().evidenceExponent()).isEqualTo(0.25);
        rewriteManifest("\"evidenceExponent\" : 0.25", "\"evidenceExponent\" : 0.0");
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessage("model bundle " + dir + ": smoothing.evidenceExponent must be a finite number above 0, "
                        + "got 0.0");
        rewriteManifest("\"evidenceExponent\" : 0.0", "\"evidenceExponent\" : \"NaN\"");
        assertThatThrownBy(() -> ModelBundle.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageEndingWith("got NaN");
    }

    private void rewriteManifest(String from, String to) throws IOException {
        Path json = dir.resolve(ModelBundle.MANIFEST_FILE);
        String text = Files.readString(json);
        assertThat(text).contains(from);
        Files.writeString(json, text.replace(from, to));
    }
}
