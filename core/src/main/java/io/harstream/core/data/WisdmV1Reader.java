package io.harstream.core.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the WISDM v1.1 raw file ({@code WISDM_ar_v1.1_raw.txt}): one or more
 * {@code user,activity,timestamp,x,y,z;} records a line, timestamps in nanoseconds.
 *
 * <p>Recording boundaries are user changes only. Activity changes and timestamp jumps stay inside a
 * recording on purpose: the segmenter breaks series at gaps and steps back, and doing it here too
 * would make the two disagree about where a series ends.
 *
 * <p>Malformed records are counted in the {@link SkipReport} under the reasons defined in
 * {@link WisdmLineParser}; terminator quirks that leave a record complete are accepted and
 * mentioned in {@link Dataset#notes()}.
 *
 * <p>I/O failures (missing file, truncated gzip) are thrown as a checked {@link IOException} whose
 * message starts with the path (and the line reached), so a caller can print {@code e.getMessage()}
 * as is; the original exception is its cause.
 */
public final class WisdmV1Reader {

    private static final Logger LOG = LoggerFactory.getLogger(WisdmV1Reader.class);

    private WisdmV1Reader() {
    }

    /**
     * Reads a v1.1 raw file, plain or gzip-compressed ({@code .gz}).
     *
     * @throws IOException with the path in its message when the file cannot be read
     */
    public static Dataset read(Path file) throws IOException {
        return read(file, Activities.V1_CLASSES);
    }

    /**
     * Reads a file in the v1.1 line format whose labels are {@code activities} (the trainer's test
     * set uses the model's classes, e.g. WISDM 2019's "Stairs"), or any label when it is null: then
     * the dataset's activities are the labels in order of first appearance.
     */
    public static Dataset read(Path file, List<String> activities) throws IOException {
        try (BufferedReader in = WisdmLineParser.open(file)) {
            return read(in, file.toString(), activities);
        }
    }

    /**
     * Reads v1.1 raw text from {@code reader}, which the caller closes. {@code sourceName} becomes
     * {@link Dataset#source()} and starts error messages.
     *
     * @throws IOException when the reader fails, with the source name and line in its message
     */
    public static Dataset read(Reader reader, String sourceName) throws IOException {
        return read(reader, sourceName, Activities.V1_CLASSES);
    }

    /** As {@link #read(Path, List)}, from a reader the caller closes. */
    public static Dataset read(Reader reader, String sourceName, List<String> activities) throws IOException {
        // Exact spelling -> one canonical String instance, so a million samples share a few labels.
        Map<String, String> labels = new LinkedHashMap<>();
        if (activities != null) {
            activities.forEach(a -> labels.put(a, a));
        }
        long started = System.nanoTime();
        SkipReport skipped = new SkipReport();
        WisdmLineParser parser = new WisdmLineParser(skipped);
        RecordingCollector recordings = new RecordingCollector();
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
        long lineNumber = 0;
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                parser.parseLine(line, lineNumber, record -> {
                    String activity = activities == null
                            ? labels.computeIfAbsent(record.label(), Function.identity())
                            : labels.get(record.label());
                    if (activity == null) {
                        parser.skip(WisdmLineParser.UNKNOWN_ACTIVITY, record);
                        return;
                    }
                    recordings.add(record.user(), new Sample(Math.floorDiv(record.timestampNs(), 1_000_000L),
                            record.x(), record.y(), record.z(), activity));
                });
            }
        } catch (IOException e) {
            throw WisdmLineParser.cannotRead(sourceName, lineNumber, e);
        }
        Dataset dataset = new Dataset(sourceName, List.copyOf(labels.keySet()), recordings.finish(), skipped, parser.notes());
        LOG.info("read {} samples in {} recordings from {} ({} lines, {} records skipped) in {} ms",
                dataset.sampleCount(), dataset.recordings().size(), sourceName, lineNumber, skipped.total(),
                (System.nanoTime() - started) / 1_000_000);
        if (skipped.total() > 0) {
            LOG.debug("skipped in {}:\n{}", sourceName, skipped.summary());
        }
        return dataset;
    }

    /** Groups consecutive samples of one user into a recording. */
    private static final class RecordingCollector {
        private final List<Recording> done = new ArrayList<>();
        private String user;
        private List<Sample> current = new ArrayList<>();

        void add(String sampleUser, Sample sample) {
            if (!sampleUser.equals(user)) {
                flush();
                user = sampleUser;
            }
            current.add(sample);
        }

        private void flush() {
            if (!current.isEmpty()) {
                done.add(new Recording(user, current));
                current = new ArrayList<>();
            }
        }

        List<Recording> finish() {
            flush();
            return done;
        }
    }
}
