package io.harstream.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Where a JFR recording's CPU time went, by the stream-app's cost centres: one table row per {@link Area}.
 *
 * <p>Each {@code jdk.ExecutionSample} (a thread caught running Java code) is attributed to the first area, walking
 * its stack from the innermost frame outwards, that names one of the frame's classes; a sample no area names is
 * "other". A thread inside a native method is not in those samples: {@code jdk.NativeMethodSample} events whose
 * innermost frame is RocksDB's JNI are added to "RocksDB" (other native samples are threads waiting on sockets or
 * locks, not CPU). The two sample kinds are taken at different periods (JFR's {@code profile} settings: 10 ms
 * and 20 ms), so each sample counts for its period in milliseconds. Shares are of the samples, an estimate of CPU
 * time: JFR samples a bounded number of threads per period.
 */
final class JfrProfile {

    /** A cost centre: a name and the frames that belong to it. */
    record Area(String name, Predicate<RecordedFrame> frames) {
    }

    static final String INFERENCE = "inference (fast LSTM, preprocessing)";

    /** Ordered: for a frame two areas name, the first wins (e.g. the event codec over Jackson in general). */
    static final List<Area> AREAS = List.of(
            area(INFERENCE, "io.harstream.core.lstm.", "io.harstream.core.model.",
                    "io.harstream.core.features.", "org.nd4j.", "org.deeplearning4j."),
            area("event JSON parse (SensorEventCodec, Jackson)", "io.harstream.core.event.SensorEventCodec",
                    "com.fasterxml.jackson."),
            area("prediction JSON encode", "io.harstream.core.event.PredictionCodec"),
            area("series to/from bytes (SeriesBuffer)", "io.harstream.core.window.SeriesBuffer"),
            area("segmenter (append, cut window)", "io.harstream.core.window.Segmenter",
                    "io.harstream.core.window.WalkingFrame"),
            area("pending windows to/from bytes", "io.harstream.streamapp.topology.ReadyWindow"),
            area("RocksDB", "org.rocksdb."),
            area("store cache, changelog, metered stores", "org.apache.kafka.streams.state."),
            area("producer, transactions (send, commit)", "org.apache.kafka.clients.producer.",
                    "org.apache.kafka.streams.processor.internals.RecordCollector"),
            area("consumer (fetch, decompress, records)", "org.apache.kafka.clients.consumer.",
                    "org.apache.kafka.common.record.", "org.apache.kafka.common.compress."),
            area("network I/O (clients)", "org.apache.kafka.common.network.", "org.apache.kafka.clients.",
                    "sun.nio.", "java.nio.channels."),
            area("metrics (Micrometer, Kafka metrics)", "io.micrometer.", "org.apache.kafka.common.metrics.",
                    "io.harstream.streamapp.metrics."),
            area("topology (validator, windower, classifier, Streams' task loop)", "io.harstream.streamapp.",
                    "org.apache.kafka.streams."));

    private JfrProfile() {
    }

    private static Area area(String name, String... prefixes) {
        return new Area(name, f -> {
            RecordedMethod m = f.getMethod();
            if (m == null || m.getType() == null) {
                return false;
            }
            String type = m.getType().getName();
            for (String p : prefixes) {
                if (type.startsWith(p)) {
                    return true;
                }
            }
            return false;
        });
    }

    /** Milliseconds of samples per area (in {@link #AREAS} order, then "other"), and the hottest innermost methods. */
    record Summary(Map<String, Double> areasMs, Map<String, Double> topMethodsMs) {

        double totalMs() {
            return areasMs.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** The area's share of all samples, 0-1 (0 without samples). */
        double share(String area) {
            double total = totalMs();
            return total == 0 ? 0 : areasMs.getOrDefault(area, 0.0) / total;
        }

        /** A markdown table: area, milliseconds of samples, share. */
        String table() {
            StringBuilder sb = new StringBuilder("| where the app's CPU went (JFR samples) | ms | share |\n|---|---|---|\n");
            double total = totalMs();
            areasMs.forEach((area, ms) -> sb.append(String.format(Locale.ROOT, "| %s | %.0f | %.1f %% |%n", area, ms,
                    total == 0 ? 0 : 100 * ms / total)));
            sb.append("\n| hottest innermost methods | ms | share |\n|---|---|---|\n");
            topMethodsMs.forEach((m, ms) -> sb.append(String.format(Locale.ROOT, "| `%s` | %.0f | %.1f %% |%n", m, ms,
                    total == 0 ? 0 : 100 * ms / total)));
            return sb.toString();
        }
    }

    static Summary summarize(Path recording, int topMethods) throws IOException {
        Map<String, Double> areas = new LinkedHashMap<>();
        AREAS.forEach(a -> areas.put(a.name(), 0.0));
        areas.put("other", 0.0);
        Map<String, Double> methods = new TreeMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            String type = e.getEventType().getName();
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = stack.getFrames();
            double ms;
            if (type.equals("jdk.ExecutionSample")) {
                ms = 10;
            } else if (type.equals("jdk.NativeMethodSample") && isRocksDb(frames.get(0))) {
                ms = 20;
            } else {
                continue;
            }
            areas.merge(attribute(frames), ms, Double::sum);
            methods.merge(name(frames.get(0)), ms, Double::sum);
        }
        List<Map.Entry<String, Double>> sorted = new ArrayList<>(methods.entrySet());
        sorted.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        Map<String, Double> top = new LinkedHashMap<>();
        sorted.stream().limit(topMethods).forEach(en -> top.put(en.getKey(), en.getValue()));
        return new Summary(areas, top);
    }

    private static String attribute(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            for (Area a : AREAS) {
                if (a.frames().test(f)) {
                    return a.name();
                }
            }
        }
        return "other";
    }

    private static boolean isRocksDb(RecordedFrame f) {
        return f.getMethod() != null && f.getMethod().getType() != null
                && f.getMethod().getType().getName().startsWith("org.rocksdb.");
    }

    private static String name(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        if (m == null || m.getType() == null) {
            return "?";
        }
        String type = m.getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + m.getName();
    }
}
