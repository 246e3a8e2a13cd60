package io.harstream.core.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.harstream.core.data.Activities;
import io.harstream.core.data.Dataset;
import io.harstream.core.data.Recording;
import io.harstream.core.data.SharedData;
import io.harstream.core.data.Wisdm2019Reader;
import io.harstream.core.data.WisdmV1Reader;
import io.harstream.core.features.Channel;
import io.harstream.core.features.Normalization;
import io.harstream.core.features.Preprocessor;
import io.harstream.core.model.ActivityClassifier;
import io.harstream.core.model.HarNetwork;
import io.harstream.core.model.NetworkConfig;
import io.harstream.core.synthetic.SyntheticGenerator;
import io.harstream.core.synthetic.SyntheticSpec;
import io.harstream.core.window.Window;
import io.harstream.core.window.WindowSpec;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The fast path through {@link ActivityClassifier}: a network trained on the synthetic data (and
 * trained further after the classifier was made), networks it must refuse, and the real WISDM 2019
 * data when it is present.
 */
class FastInferenceTest {

    private static final int EPOCHS = 4;
    private static final List<Channel> XYZ = List.of(Channel.X, Channel.Y, Channel.Z);

    private static Dataset synthetic(SyntheticSpec spec) throws IOException {
        StringWriter raw = new StringWriter();
        new SyntheticGenerator(spec).write(raw);
        return WisdmV1Reader.read(new StringReader(raw.toString()), "synthetic");
    }

    private static List<Window> windows(Dataset data, WindowSpec spec) {
        io.harstream.core.window.Segmenter seg = new io.harstream.core.window.Segmenter(spec, data.activities());
        List<Window> windows = new ArrayList<>();
        for (Recording r : data.recordings()) {
            windows.addAll(seg.cut(r));
        }
        return windows;
    }

    @Test
    void matchesDl4jOnATrainedNetworkAndFollowsFurtherTraining() throws IOException {
        Dataset data = synthetic(new SyntheticSpec(5, 3, 60, 20));
        WindowSpec spec = new WindowSpec(60, 30, 1_000);
        List<Window> windows = windows(data, spec);
        Preprocessor pre = new Preprocessor(XYZ, Normalization.fit(windows, XYZ));
        int classes = data.activities().size();
        MultiLayerNetwork net = HarNetwork.create(
                new NetworkConfig(3, classes, 16, 16, 2, 0.02, 0.0015, 3), spec.length());

        ActivityClassifier classifier = new ActivityClassifier(net, pre, 256);
        assertThat(classifier.fastPath()).isTrue();
        float[][] untrained = classifier.probabilities(windows);

        INDArray x = pre.features(windows);
        INDArray y = Nd4j.zeros(DataType.FLOAT, windows.size(), classes);
        for (int i = 0; i < windows.size(); i++) {
            y.putScalar(i, windows.get(i).label(), 1f);
        }
        DataSet all = new DataSet(x.dup(), y); // shuffle() reorders its arrays in place
        long started = System.nanoTime();
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            all.shuffle(epoch);
            for (DataSet batch : all.batchBy(128)) {
                net.fit(batch);
            }
        }
        double trainSeconds = (System.nanoTime() - started) / 1e9;

        // The classifier was made before training: it must see the new parameters.
        float[][] fast = classifier.probabilities(windows);
        float[][] dl4j = net.output(x, false).toFloatMatrix();
        double diff = TestNetworks.maxAbsDiff(fast, dl4j);
        int correct = 0;
        for (int i = 0; i < windows.size(); i++) {
            correct += ActivityClassifier.argmax(fast[i]) == windows.get(i).label() ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "trained network (%d windows, " + EPOCHS + " epochs in %.1f s, train accuracy %.2f): "
                + "max |p - dl4j| = %.3g (%s)%n", windows.size(), trainSeconds, (double) correct / windows.size(), diff,
                classifier.engine());
        assertThat(TestNetworks.maxAbsDiff(untrained, dl4j)).as("training changed the outputs").isGreaterThan(1e-3);
        assertThat(diff).isLessThanOrEqualTo(1e-4);
        assertThat(TestNetworks.argmaxMismatches(fast, dl4j)).isZero();

        // The plain-Java implementation on the same trained weights.
        float[] flat = new float[windows.size() * 3 * spec.length()];
        for (int i = 0; i < windows.size(); i++) {
            pre.fill(windows.get(i), flat, i * 3 * spec.length());
        }
        float[][] plain = LstmForward.plainJava(LstmNetworkWeights.of(net)).probabilities(flat, windows.size(),
                spec.length());
        assertThat(TestNetworks.maxAbsDiff(plain, dl4j)).isLessThanOrEqualTo(1e-4);
        assertThat(TestNetworks.argmaxMismatches(plain, dl4j)).isZero();

        // Splitting over threads changes nothing.
        assertThat(new ActivityClassifier(net, pre, 1024, 2).probabilities(windows)).isDeepEqualTo(fast);
    }

    /** Every channel, the window-level ones (vertical, horizontal, jerk) included, through the one preprocessing path. */
    @Test
    void everyChannelGoesThroughTheFastPath() throws IOException {
        Dataset data = synthetic(new SyntheticSpec(3, 3, 30, 20));
        WindowSpec spec = new WindowSpec(60, 30, 1_000);
        List<Window> windows = windows(data, spec);
        List<Channel> all = List.of(Channel.values());
        Preprocessor pre = new Preprocessor(all, Normalization.fit(windows, all));
        MultiLayerNetwork net = HarNetwork.create(
                new NetworkConfig(all.size(), data.activities().size(), 16, 16, 2, 0.02, 0.0015, 3), spec.length());
        ActivityClassifier classifier = new ActivityClassifier(net, pre, 256);
        assertThat(classifier.fastPath()).isTrue();
        float[][] fast = classifier.probabilities(windows);
        float[][] dl4j = net.output(pre.features(windows), false).toFloatMatrix();
        assertThat(TestNetworks.maxAbsDiff(fast, dl4j)).isLessThanOrEqualTo(1e-4);
        assertThat(TestNetworks.argmaxMismatches(fast, dl4j)).isZero();
    }

    @Test
    void refusesOtherNetworksAndTheClassifierFallsBackToDl4j() {
        List<Refused> others = List.of(
                new Refused("got GravesLSTM", t -> base().layer(dense())
                        .layer(new LastTimeStep(new GravesLSTM.Builder().nOut(8).activation(Activation.TANH).build()))
                        .layer(output()).setInputType(InputType.recurrent(3, t)).build()),
                new Refused("got SimpleRnn", t -> base().layer(dense())
                        .layer(new LastTimeStep(new SimpleRnn.Builder().nOut(8).activation(Activation.TANH).build()))
                        .layer(output()).setInputType(InputType.recurrent(3, t)).build()),
                new Refused("activation is softsign, expected tanh", t -> base().layer(dense())
                        .layer(new LastTimeStep(lstm().activation(Activation.SOFTSIGN).build()))
                        .layer(output()).setInputType(InputType.recurrent(3, t)).build()),
                new Refused("(LSTM gates) activation is hardsigmoid, expected sigmoid", t -> base().layer(dense())
                        .layer(new LastTimeStep(lstm().gateActivationFunction(Activation.HARDSIGMOID).build()))
                        .layer(output()).setInputType(InputType.recurrent(3, t)).build()),
                new Refused("preprocessor", t -> base().layer(dense()).layer(dense())
                        .layer(new LastTimeStep(lstm().build()))
                        .layer(output()).setInputType(InputType.recurrent(3, t)).build()),
                new Refused("layer 0 (dense) activation is tanh, expected relu", t -> base()
                        .layer(new DenseLayer.Builder().nOut(8).activation(Activation.TANH).build())
                        .layer(new LastTimeStep(lstm().build()))
                        .layer(output()).setInputType(InputType.recurrent(3, t)).build()),
                new Refused("must be LastTimeStep(LSTM)", t -> base().layer(dense()).layer(lstm().build())
                        .layer(new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder().nOut(4)
                                .activation(Activation.SOFTMAX).build())
                        .setInputType(InputType.recurrent(3, t)).build()));
        int steps = 10;
        List<Window> windows = new ArrayList<>();
        float[] x = TestNetworks.features(3, 3, steps, 1);
        for (int i = 0; i < 3; i++) {
            float[] a = new float[steps];
            float[] b = new float[steps];
            float[] c = new float[steps];
            System.arraycopy(x, (i * 3) * steps, a, 0, steps);
            System.arraycopy(x, (i * 3 + 1) * steps, b, 0, steps);
            System.arraycopy(x, (i * 3 + 2) * steps, c, 0, steps);
            windows.add(new Window(0, 1, a, b, c, 0));
        }
        Preprocessor identity = new Preprocessor(XYZ, new Normalization(new double[3], new double[] {1, 1, 1}));
        for (int i = 0; i < others.size(); i++) {
            MultiLayerNetwork net = new MultiLayerNetwork(others.get(i).conf().apply(steps));
            net.init();
            assertThatThrownBy(() -> LstmNetworkWeights.of(net)).as("network %d", i)
                    .isInstanceOf(UnsupportedNetworkException.class)
                    .hasMessageStartingWith("fast LSTM inference does not support this network: ")
                    .hasMessageContaining(others.get(i).reason());
            assertThat(LstmNetworkWeights.unsupportedReason(net)).isPresent();
            if (i == others.size() - 1) {
                continue; // per-step output: not a per-window classifier at all
            }
            ActivityClassifier classifier = new ActivityClassifier(net, identity, 16);
            assertThat(classifier.fastPath()).isFalse();
            assertThat(classifier.engine()).contains("DL4J");
            assertThat(classifier.probabilities(windows)).isDeepEqualTo(
                    net.output(identity.features(windows), false).toFloatMatrix());
        }
        // Double-precision parameters are refused too.
        MultiLayerNetwork net = TestNetworks.random(3, 8, 8, 1, 4, steps, 1, 0.3);
        MultiLayerNetwork doubles = net.convertDataType(DataType.DOUBLE);
        assertThat(LstmNetworkWeights.unsupportedReason(doubles)).get().asString().contains("FLOAT");
        assertThat(new ActivityClassifier(doubles, identity, 16).fastPath()).isFalse();
        assertThat(new ActivityClassifier(net, identity, 16).fastPath()).isTrue();
    }

    @Test
    void matchesDl4jOnTheRealWisdm2019Data() throws IOException {
        Optional<Path> dir = SharedData.wisdm2019Dir();
        Assumptions.assumeTrue(dir.isPresent(),
                "WISDM-2019 data not found at " + SharedData.wisdm2019Searched() + "; skipping real-data test");
        Path file;
        try (Stream<Path> files = Files.list(dir.get())) {
            file = files.filter(f -> f.getFileName().toString().startsWith("data_")).min(Comparator.naturalOrder())
                    .orElseThrow();
        }
        Dataset data = Wisdm2019Reader.read(file, Activities.DEFAULT_2019_CODES); // one subject: fast
        io.harstream.core.window.Segmenter seg =
                new io.harstream.core.window.Segmenter(WindowSpec.DEFAULT, data.activities());
        List<Window> windows = new ArrayList<>();
        for (Recording r : data.recordings()) {
            List<Window> cut = seg.cut(r);
            windows.addAll(cut.subList(0, Math.min(40, cut.size())));
        }
        Preprocessor pre = new Preprocessor(XYZ, Normalization.fit(windows, XYZ));
        MultiLayerNetwork net = HarNetwork.create(NetworkConfig.original(3, data.activities().size(), 42), 200);
        ActivityClassifier classifier = new ActivityClassifier(net, pre, 1024);
        float[][] fast = classifier.probabilities(windows);
        float[][] dl4j = net.output(pre.features(windows), false).toFloatMatrix();
        double diff = TestNetworks.maxAbsDiff(fast, dl4j);
        System.out.printf(Locale.ROOT, "real data %s: %d windows, seed network (untrained): max |p - dl4j| = %.3g%n",
                file.getFileName(), windows.size(), diff);
        assertThat(classifier.fastPath()).isTrue();
        assertThat(diff).isLessThanOrEqualTo(1e-6);
        assertThat(TestNetworks.argmaxMismatches(fast, dl4j)).isZero();
    }

    private record Refused(String reason, Function<Integer, MultiLayerConfiguration> conf) {
    }

    private static LSTM.Builder lstm() {
        return new LSTM.Builder().nOut(8).activation(Activation.TANH);
    }

    private static NeuralNetConfiguration.ListBuilder base() {
        return new NeuralNetConfiguration.Builder().seed(1).list();
    }

    private static DenseLayer dense() {
        return new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build();
    }

    private static OutputLayer output() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX)
                .build();
    }
}
