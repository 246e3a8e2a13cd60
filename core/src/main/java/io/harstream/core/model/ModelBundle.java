package io.harstream.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.harstream.core.features.Channel;
import io.harstream.core.features.Preprocessor;
import io.harstream.core.smoothing.ActivitySmoother;
import io.harstream.core.window.AxesFrame;
import io.harstream.core.window.Segmenter;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A trained model with its manifest: {@code model.zip} (DL4J's ModelSerializer format) and
 * {@code model.json} ({@link BundleManifest}), in a directory or together in one zip file.
 *
 * <p>Loading validates everything a consumer relies on and fails with one {@link BundleException}
 * naming the file and the problem, so the stream-app can refuse a bundle before touching Kafka.
 */
public record ModelBundle(BundleManifest manifest, MultiLayerNetwork network) {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelBundle.class);

    public static final String MODEL_FILE = "model.zip";
    public static final String MANIFEST_FILE = "model.json";

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Preprocessor preprocessor() {
        return new Preprocessor(manifest.channelList(), manifest.normalizationValue());
    }

    public Segmenter segmenter() {
        return new Segmenter(manifest.window(), manifest.classes());
    }

    /** The axes the network's windows are read in: each device's windows go through it in order. */
    public AxesFrame axesFrame() {
        return manifest.axesFrame();
    }

    public List<String> classes() {
        return manifest.classes();
    }

    /** The smoother of this model's predictions, or empty when the bundle has no smoothing section. */
    public java.util.Optional<ActivitySmoother> smoother() {
        return manifest.smoothed()
                ? java.util.Optional.of(new ActivitySmoother(manifest.smoothing(), manifest.classes().size()))
                : java.util.Optional.empty();
    }

    /** The temperature every probability of this model is scaled by ({@link BundleManifest#temperature()}). */
    public double temperature() {
        return manifest.temperature();
    }

    /** Writes {@code model.zip} and {@code model.json} into {@code dir} (created if needed). */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        ModelSerializer.writeModel(network, dir.resolve(MODEL_FILE).toFile(), false);
        JSON.writeValue(dir.resolve(MANIFEST_FILE).toFile(), manifest);
    }

    public static String manifestJson(BundleManifest manifest) {
        try {
            return JSON.writeValueAsString(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Loads and validates a bundle: a directory holding {@code model.zip} and {@code model.json}, or a
     * zip file holding both at its top level.
     */
    public static ModelBundle load(Path path) {
        if (!Files.exists(path)) {
            throw new BundleException("model bundle " + path + ": not found");
        }
        if (Files.isDirectory(path)) {
            Path manifestFile = path.resolve(MANIFEST_FILE);
            Path modelFile = path.resolve(MODEL_FILE);
            require(manifestFile);
            require(modelFile);
            BundleManifest manifest;
            try (InputStream in = Files.newInputStream(manifestFile)) {
                manifest = readManifest(in, manifestFile.toString());
            } catch (IOException e) {
                throw new BundleException("model bundle " + manifestFile + ": cannot read: " + e.getMessage(), e);
            }
            MultiLayerNetwork net;
            try {
                net = ModelSerializer.restoreMultiLayerNetwork(modelFile.toFile(), false);
            } catch (Exception | Error e) {
                throw new BundleException("model bundle " + modelFile + ": not a readable DL4J model ("
                        + describe(e) + ")", e);
            }
            return validated(manifest, net, path.toString());
        }
        return loadZip(path);
    }

    /**
     * Loads and validates a bundle from the contents of its two files (a model archive's entries, see
     * {@link io.harstream.core.model.registry.ModelArchive}) with exactly the checks {@link #load} makes on a
     * directory, so a bundle the stream-app would refuse at start-up is refused here with the same message.
     *
     * @param where names the source in messages, e.g. {@code archive 20261129T073012Z-3f2a9c1e}
     */
    public static ModelBundle read(byte[] manifestJson, byte[] modelZip, String where) {
        BundleManifest manifest = readManifest(manifestJson, where);
        MultiLayerNetwork net;
        try {
            net = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(modelZip), false);
        } catch (Exception | Error e) {
            throw new BundleException("model bundle " + where + "!/" + MODEL_FILE + ": not a readable DL4J model ("
                    + describe(e) + ")", e);
        }
        return validated(manifest, net, where);
    }

    /**
     * Parses a {@code model.json} as {@link #load} does (older manifests' training defaults filled in), without
     * the checks that need the network.
     */
    public static BundleManifest readManifest(byte[] manifestJson, String where) {
        return readManifest(new ByteArrayInputStream(manifestJson), where + "!/" + MANIFEST_FILE);
    }

    private static ModelBundle loadZip(Path zip) {
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            ZipEntry m = zf.getEntry(MANIFEST_FILE);
            ZipEntry n = zf.getEntry(MODEL_FILE);
            if (m == null || n == null) {
                throw new BundleException("model bundle " + zip + ": the zip must contain " + MANIFEST_FILE + " and "
                        + MODEL_FILE + " at its top level");
            }
            BundleManifest manifest;
            try (InputStream in = zf.getInputStream(m)) {
                manifest = readManifest(in, zip + "!/" + MANIFEST_FILE);
            }
            Path tmp = Files.createTempFile("harstream-model", ".zip");
            try {
                try (InputStream in = zf.getInputStream(n); OutputStream out = Files.newOutputStream(tmp)) {
                    in.transferTo(out);
                }
                MultiLayerNetwork net;
                try {
                    net = ModelSerializer.restoreMultiLayerNetwork(tmp.toFile(), false);
                } catch (Exception | Error e) {
                    throw new BundleException("model bundle " + zip + "!/" + MODEL_FILE
                            + ": not a readable DL4J model (" + describe(e) + ")", e);
                }
                return validated(manifest, net, zip.toString());
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new BundleException("model bundle " + zip + ": neither a directory nor a readable zip file ("
                    + describe(e) + ")", e);
        }
    }

    private static void require(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BundleException("model bundle " + file.getParent() + ": " + file.getFileName() + " is missing");
        }
    }

    private static BundleManifest readManifest(InputStream in, String where) {
        try {
            JsonNode tree = JSON.readTree(in);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                throw new BundleException("model bundle " + where + ": empty manifest");
            }
            return JSON.treeToValue(withTrainingDefaults(tree), BundleManifest.class);
        } catch (IOException e) {
            throw new BundleException("model bundle " + where + ": not a valid manifest (" + describe(e) + ")", e);
        }
    }

    /**
     * Manifests written before dropout, forget-gate bias, clipping and learning-rate decay were recorded lack
     * those settings; they were trained with DL4J's defaults, which are filled in here. A smoothing section
     * without an evidence exponent gets 1 (the evidence as it is, as it was smoothed then). Everything else
     * stays strictly required.
     */
    private static JsonNode withTrainingDefaults(JsonNode tree) {
        if (tree.get("network") instanceof ObjectNode network) {
            if (!network.has("dropout")) {
                network.put("dropout", 0.0);
            }
            if (!network.has("forgetGateBias")) {
                network.put("forgetGateBias", NetworkConfig.DEFAULT_FORGET_GATE_BIAS);
            }
            if (!network.has("gradientClip")) {
                network.put("gradientClip", 0.0);
            }
            if (!network.has("cosineDecayEpochs")) {
                network.put("cosineDecayEpochs", 0);
            }
        }
        // Smoothing sections written before the evidence exponent existed used the network's evidence as it is.
        if (tree.get("smoothing") instanceof ObjectNode smoothing && !smoothing.has("evidenceExponent")) {
            smoothing.put("evidenceExponent", 1.0);
        }
        return tree;
    }

    private static String describe(Throwable e) {
        String msg = e.getMessage();
        if (msg == null) {
            return e.getClass().getSimpleName();
        }
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }

    /** Checks that the manifest is complete and that the network is the one it describes. */
    static ModelBundle validated(BundleManifest m, MultiLayerNetwork net, String where) {
        String prefix = "model bundle " + where + ": ";
        if (m.formatVersion() != BundleManifest.FORMAT_VERSION) {
            throw new BundleException(prefix + "format version " + m.formatVersion() + " is not supported (this"
                    + " harstream reads version " + BundleManifest.FORMAT_VERSION + ")");
        }
        if (m.modelVersion() == null || m.modelVersion().isBlank()) {
            throw new BundleException(prefix + "model.json has no modelVersion");
        }
        if (m.classes() == null || m.classes().size() < 2) {
            throw new BundleException(prefix + "model.json must list at least 2 classes");
        }
        if (new HashSet<>(m.classes()).size() != m.classes().size()) {
            throw new BundleException(prefix + "model.json lists a class twice: " + m.classes());
        }
        if (m.window() == null) {
            throw new BundleException(prefix + "model.json has no window settings");
        }
        if (m.channels() == null || m.channels().isEmpty()) {
            throw new BundleException(prefix + "model.json lists no input channels");
        }
        List<Channel> channels;
        try {
            channels = m.channelList();
        } catch (IllegalArgumentException e) {
            throw new BundleException(prefix + e.getMessage(), e);
        }
        try {
            m.axesFrame();
        } catch (IllegalArgumentException e) {
            throw new BundleException(prefix + e.getMessage(), e);
        }
        if (m.normalization() == null || m.normalization().mean() == null || m.normalization().std() == null) {
            throw new BundleException(prefix + "model.json has no normalization statistics");
        }
        try {
            if (m.normalizationValue().channels() != channels.size()) {
                throw new BundleException(prefix + "normalization has " + m.normalizationValue().channels()
                        + " channels but the bundle lists " + channels.size());
            }
        } catch (IllegalArgumentException e) {
            throw new BundleException(prefix + "invalid normalization: " + e.getMessage(), e);
        }
        if (m.smoothing() != null) {
            String problem = m.smoothing().problem(m.classes());
            if (problem != null) {
                throw new BundleException(prefix + problem);
            }
        }
        if (m.calibration() != null) {
            String problem = m.calibration().problem();
            if (problem != null) {
                throw new BundleException(prefix + problem);
            }
        } else {
            LOG.info("model bundle {}: no calibration section, probabilities are used as the network gives them "
                    + "(temperature 1)", where);
        }
        Layer first = net.getLayerWiseConfigurations().getConf(0).getLayer();
        Layer last = net.getLayerWiseConfigurations().getConf(net.getnLayers() - 1).getLayer();
        long nIn = first instanceof FeedForwardLayer ff ? ff.getNIn() : -1;
        long nOut = last instanceof FeedForwardLayer ff ? ff.getNOut() : -1;
        if (nIn != channels.size()) {
            throw new BundleException(prefix + "the network takes " + nIn + " input channels but model.json lists "
                    + channels.size() + " " + m.channels());
        }
        if (nOut != m.classes().size()) {
            throw new BundleException(prefix + "the network has " + nOut + " outputs but model.json lists "
                    + m.classes().size() + " classes");
        }
        return new ModelBundle(m, net);
    }
}
