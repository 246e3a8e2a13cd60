package io.harstream.demo;

import io.harstream.core.HarstreamVersion;
import io.harstream.core.model.BundleException;
import io.harstream.core.model.BundleManifest;
import io.harstream.core.model.ModelBundle;
import io.harstream.simulator.SimulatorException;
import io.harstream.simulator.TestSet;
import io.harstream.simulator.TestSetReader;
import io.harstream.trainer.DataSourceOptions;
import io.harstream.trainer.Trainer;
import io.harstream.trainer.TrainerException;
import io.harstream.trainer.TrainingRequest;
import io.harstream.trainer.TrainingSummary;
import io.harstream.trainer.recipe.RecipeOptions;
import io.harstream.trainer.report.TrainingOutcome;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code harstream demo}: the whole loop in one process, no Docker. Gets a model (the shipped real-data
 * model, {@link ShippedModel}, unless told to use or train another), starts {@link Demo} and redraws a
 * {@link ConsoleView} until Ctrl-C or {@code --duration}. Only wiring; the work is in the trainer,
 * stream-app and simulator.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = HarstreamVersion.class, sortOptions = false,
        description = {"Runs the whole pipeline in one process: a single-node Kafka broker (KRaft), the trainer "
                + "(unless a model is given), the stream-app and the simulator replaying the model's test set, with "
                + "a live console view of events/s, predictions/s, running accuracy, dead letters and the confusion "
                + "matrix.",
                "",
                "By default it serves the model shipped in models/wisdm2019: trained on 18 real people of the "
                        + "WISDM 2019 dataset, and replays the 4 people it was tested on (never seen in training). "
                        + "--model DIR serves another trainer output; any training option (--data, --recipe, "
                        + "--epochs, ...) or --retrain trains a model into <work-dir>/model instead (e.g. --data "
                        + "synthetic: about two minutes on 2 cores; later runs with training options reuse it). "
                        + "Kafka's log, the stream-app's state and Prometheus' data live in <work-dir>/run-*, deleted "
                        + "when the demo stops; the full log is <work-dir>/demo.log.",
                "",
                "When a 'prometheus' executable is on the PATH it is started on loopback with the project's "
                        + "recording and alert rules (--no-prometheus to skip)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped after --duration", "130/143:stopped with Ctrl-C / SIGTERM (everything stopped cleanly)",
                "1:unexpected failure (stack trace printed)",
                "2:bad input or a part failed to start (message printed)", "3:a part failed while running"})
public final class DemoCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--work-dir", defaultValue = "out/demo", paramLabel = "DIR",
            description = "Where the trained model, the log and the per-run data go. Default: ${DEFAULT-VALUE}.")
    Path workDir;

    @Option(names = "--model", paramLabel = "DIR",
            description = "Serve this trainer output (model.json, model.zip, test-set.txt[.gz]) instead of the "
                    + "shipped model. Default: models/wisdm2019.")
    Path model;

    @Option(names = "--retrain", description = "Train a model into <work-dir>/model (again, if one is there) "
            + "instead of serving the shipped one.")
    boolean retrain;

    @Mixin
    DataSourceOptions source = new DataSourceOptions();

    @Mixin
    RecipeOptions recipeOptions = new RecipeOptions();

    @Option(names = "--speed", defaultValue = "5",
            description = "Replay pace: 1 = real time (20 events/s per device), 5 = five times faster. "
                    + "Default: ${DEFAULT-VALUE}.")
    double speed;

    @Option(names = "--devices", defaultValue = "0", description = "Replay only the first N devices, 0 for all. "
            + "Default: ${DEFAULT-VALUE}.")
    int devices;

    @Option(names = "--copies", defaultValue = "10", paramLabel = "N",
            description = "Replay each test person on N devices at once (the synthetic test set has two people; "
                    + "the simulator's --copies). Default: ${DEFAULT-VALUE}.")
    int copies;

    @Option(names = "--malformed-fraction", defaultValue = "0.01", paramLabel = "F",
            description = "Share of replayed events that are deliberately bad, so the dead-letter path shows. "
                    + "Default: ${DEFAULT-VALUE}.")
    double malformedFraction;

    @Option(names = "--http-port", defaultValue = "8080",
            description = "The stream-app's /metrics, /health and /ready port (0: any free port). Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the event and prediction topics. "
            + "Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--stream-threads", defaultValue = "1", description = "Kafka Streams threads. Default: ${DEFAULT-VALUE}.")
    int streamThreads;

    @Option(names = "--prometheus", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Start 'prometheus' from the PATH, if there is one. Default: ${DEFAULT-VALUE}.")
    boolean prometheus;

    @Option(names = "--prometheus-port", defaultValue = "9090", description = "Prometheus' web port on loopback. "
            + "Default: ${DEFAULT-VALUE}.")
    int prometheusPort;

    @Option(names = "--refresh", defaultValue = "2", paramLabel = "SECONDS",
            description = "Seconds between view updates. Default: ${DEFAULT-VALUE}.")
    double refreshSeconds;

    @Option(names = "--duration", defaultValue = "0", paramLabel = "SECONDS",
            description = "Stop after this long, 0 to run until Ctrl-C. Default: ${DEFAULT-VALUE}.")
    double durationSeconds;

    @Option(names = "--plain", description = "Append each view instead of redrawing the screen (automatic when the "
            + "output is not a terminal).")
    boolean plain;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    public static void main(String[] args) {
        // The console belongs to the view: the log goes to a file (unless the user chose a configuration).
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "harstream-demo-logback.xml");
        }
        System.setProperty("harstream.demo.log", logFile(args).toString());
        System.exit(commandLine().execute(args));
    }

    /** The log file, under the work directory: read before picocli parses, since logging starts first. */
    private static Path logFile(String[] args) {
        String dir = "out/demo";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--work-dir") && i + 1 < args.length) {
                dir = args[i + 1];
            } else if (args[i].startsWith("--work-dir=")) {
                dir = args[i].substring("--work-dir=".length());
            }
        }
        return Path.of(dir, "demo.log");
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new DemoCommand());
        cl.setOverwrittenOptionsAllowed(true);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.getCommandSpec().usageMessage().footer(RecipeOptions.recipesHelp());
        return cl;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!(speed > 0) || !(refreshSeconds > 0) || !(durationSeconds >= 0) || copies < 1
                || !(malformedFraction >= 0 && malformedFraction < 1)) {
            err.println("demo: --speed and --refresh must be positive, --duration not negative, --copies at least 1, "
                    + "--malformed-fraction in [0, 1)");
            return 2;
        }
        Files.createDirectories(workDir);
        Path modelDir = model;
        if (modelDir == null && !retrain && !trainingOptionGiven()) {
            modelDir = ShippedModel.locate().orElse(null);
            if (modelDir == null) {
                out.println("no shipped model found (models/" + ShippedModel.NAME + " under harstream.home or a "
                        + "parent of the working directory): training one on the synthetic data instead");
            }
        }
        if (modelDir == null) {
            modelDir = workDir.resolve("model");
            if (retrain || !Files.exists(modelDir.resolve(ModelBundle.MANIFEST_FILE))) {
                try {
                    train(modelDir, out);
                } catch (TrainerException | IllegalArgumentException e) {
                    err.println("demo: training failed: " + e.getMessage());
                    return 2;
                }
            }
        }
        ModelBundle bundle;
        TestSet testSet;
        try {
            bundle = ModelBundle.load(modelDir);
            testSet = TestSetReader.read(modelDir, null);
        } catch (BundleException | SimulatorException e) {
            err.println("demo: " + e.getMessage());
            return 2;
        }

        Path prometheusExe = prometheus ? PrometheusProcess.findOnPath().orElse(null) : null;
        DemoSettings settings = new DemoSettings(workDir, httpPort, partitions, streamThreads, speed, devices, copies,
                malformedFraction, prometheusExe, prometheusPort, ruleFiles());
        out.println("starting Kafka (embedded, KRaft), the stream-app and the simulator...");
        out.flush();
        Demo demo;
        try {
            demo = Demo.start(settings, bundle, testSet);
        } catch (RuntimeException e) {
            err.println("demo: cannot start: " + e.getMessage() + " (log: " + workDir.resolve("demo.log") + ")");
            return 2;
        }
        Thread hook = new Thread(() -> {
            stopRequested.countDown();
            try {
                stopped.await(90, TimeUnit.SECONDS); // the main thread closes everything and prints the summary
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "harstream-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = 0;
        try {
            code = show(demo, out);
        } finally {
            out.println("stopping: simulator, stream-app (committing), " + (demo.prometheusPort().isPresent()
                    ? "prometheus, " : "") + "Kafka; deleting " + demo.runDirectory());
            out.flush();
            demo.close();
            out.println(summary(demo.snapshot(), bundle.manifest()));
            out.flush();
            stopped.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is what is running now
        }
        return code;
    }

    /** Redraws the view until Ctrl-C, the duration, or a failed part; returns the exit code. */
    private int show(Demo demo, PrintWriter out) throws InterruptedException {
        String header = header(demo);
        ConsoleView view = new ConsoleView(header, demo.bundle().manifest().metrics().testAccuracy());
        boolean redraw = !plain && System.console() != null;
        // The views of the last minute, oldest first: "recent" accuracy is counted from the oldest.
        Deque<DemoSnapshot> lastMinute = new ArrayDeque<>();
        long end = durationSeconds > 0 ? System.nanoTime() + (long) (durationSeconds * 1e9) : Long.MAX_VALUE;
        long refreshMillis = (long) (refreshSeconds * 1000);
        DemoSnapshot before = demo.snapshot();
        lastMinute.add(before);
        while (!stopRequested.await(Math.min(refreshMillis, Math.max(1, (end - System.nanoTime()) / 1_000_000)),
                TimeUnit.MILLISECONDS)) {
            DemoSnapshot now = demo.snapshot();
            while (lastMinute.size() > 1 && now.nanos() - lastMinute.peekFirst().nanos() > ConsoleView.RECENT.toNanos()) {
                lastMinute.removeFirst();
            }
            out.print((redraw ? "\033[H\033[2J" : "\n") + view.render(now, before, lastMinute.peekFirst(), demo.uptime()));
            lastMinute.addLast(now);
            out.flush();
            before = now;
            if (demo.failed()) {
                out.println("a part of the pipeline stopped on its own; see " + workDir.resolve("demo.log"));
                return 3;
            }
            if (System.nanoTime() >= end) {
                break;
            }
        }
        return 0;
    }

    private String header(Demo demo) {
        BundleManifest m = demo.bundle().manifest();
        StringBuilder h = new StringBuilder();
        h.append("harstream demo   model ").append(m.modelVersion()).append('\n');
        h.append(describe(m)).append('\n');
        h.append("Kafka ").append(demo.bootstrapServers()).append("   metrics http://127.0.0.1:")
                .append(demo.metricsPort()).append("/metrics");
        demo.prometheusPort().ifPresentOrElse(
                p -> h.append("   Prometheus http://127.0.0.1:").append(p).append("/graph"),
                () -> h.append(prometheus ? "   (no prometheus on the PATH)" : ""));
        h.append("\nlog ").append(workDir.resolve("demo.log"));
        return h.toString();
    }

    /**
     * What the model is, whom it was tested on and its offline figure, in two lines: "trained on 18 people of
     * ..., default recipe" and "tested on 1604, 1622, 1632, 1634 (never seen in training): offline accuracy
     * 91.2 %, macro-F1 0.911".
     */
    static String describe(BundleManifest m) {
        BundleManifest.Split split = m.split();
        String tested = split.leaky()
                ? "tested on held-out windows of the same people (a leaky split)"
                : "tested on " + String.join(", ", split.testUsers()) + " (never seen in training)";
        return String.format(Locale.ROOT, "  trained on %d people of %s, %s recipe%n  %s: offline accuracy %.1f %%, "
                        + "macro-F1 %.3f", split.trainUsers().size(), m.dataset().source(),
                m.recipe().getOrDefault("recipe", "?"), tested, 100 * m.metrics().testAccuracy(), m.metrics().macroF1());
    }

    /** Whether a training option of the trainer's (data or recipe) is on the command line: then the demo trains. */
    private boolean trainingOptionGiven() {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        return parsed.matchedOptions().stream().anyMatch(o -> o.userObject() instanceof java.lang.reflect.Field f
                && (f.getDeclaringClass() == DataSourceOptions.class || f.getDeclaringClass() == RecipeOptions.class));
    }

    static String summary(DemoSnapshot s, BundleManifest m) {
        double acc = s.accuracy();
        return String.format(Locale.ROOT, "%nsummary: %,d events sent, %,d accepted, %,d dead letters, %,d predictions; "
                        + "streamed accuracy %s over %,d labelled windows (the trainer measured %.1f %% offline)",
                s.eventsSent(), s.outcome(io.harstream.streamapp.metrics.HarMetrics.Outcome.ACCEPTED),
                s.deadLetterTotal(), s.predictions(),
                Double.isNaN(acc) ? "-" : String.format(Locale.ROOT, "%.1f %%", 100 * acc), s.labelledPredictions(),
                100 * m.metrics().testAccuracy());
    }

    /** The trainer's defaults with the training options given: without any, the model the demo's figures are of. */
    TrainingRequest trainingRequest(Path modelDir) {
        return TrainingRequest.builder().data(source.toSource()).recipe(recipeOptions.resolve()).out(modelDir).build();
    }

    /** Trains by {@link #trainingRequest}, showing each epoch as it ends. */
    private void train(Path modelDir, PrintWriter out) throws IOException {
        TrainingRequest request = trainingRequest(modelDir);
        int epochs = request.recipe().epochs();
        out.printf("training a model on %s into %s (%d epochs; --model DIR to use one you have)%n",
                request.data().data(), modelDir, epochs);
        out.flush();
        TrainingOutcome outcome = Trainer.run(request, epoch -> {
            out.printf(Locale.ROOT, "  epoch %d/%d: test accuracy %.3f (%.0f s)%n", epoch.epoch(), epochs,
                    epoch.testAccuracy(), epoch.seconds());
            out.flush();
        });
        out.print(TrainingSummary.of(request, outcome));
        out.flush();
    }

    /** The project's rule files: {@code prometheus/rules/*.yml} under {@code harstream.home} (the launcher sets it). */
    private static List<Path> ruleFiles() throws IOException {
        Path rules = Path.of(System.getProperty("harstream.home", ".")).resolve("prometheus/rules");
        if (!Files.isDirectory(rules)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(rules)) {
            return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
        }
    }
}
