package io.harstream.demo;

import java.nio.file.Path;
import java.util.List;

/**
 * How the demo runs once it has a model.
 *
 * @param workDir           where the per-run directory (Kafka log, stream-app state, Prometheus data) is
 *                          created; that directory is deleted when the demo stops
 * @param httpPort          the stream-app's /metrics, /health, /ready port (0: any free port)
 * @param partitions        partitions of the input and prediction topics
 * @param streamThreads     Kafka Streams threads
 * @param speed             simulator pace: 1 = real time per device
 * @param devices           replay only the first N devices, 0 for all
 * @param copies            replay each of those on this many devices at once
 * @param malformedFraction share of simulated events that are deliberately bad
 * @param prometheus        the prometheus executable to start, or null for none
 * @param prometheusPort    Prometheus' web port on loopback
 * @param ruleFiles         the project's Prometheus rule files
 */
public record DemoSettings(Path workDir, int httpPort, int partitions, int streamThreads, double speed, int devices,
                           int copies, double malformedFraction, Path prometheus, int prometheusPort,
                           List<Path> ruleFiles) {

    public DemoSettings {
        ruleFiles = List.copyOf(ruleFiles);
        if (partitions < 1 || streamThreads < 1) {
            throw new IllegalArgumentException("partitions and stream threads must be at least 1");
        }
        if (copies < 1) {
            throw new IllegalArgumentException("copies must be at least 1, got " + copies);
        }
    }
}
