package io.harstream.core.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads WISDM 2019 raw phone accelerometer files ({@code data_<subject>_accel_phone.txt}, plain or
 * {@code .gz}): {@code subject,code,timestamp,x,y,z;}, one subject a file, each activity one
 * contiguous block of about 3 minutes.
 *
 * <p>Every (subject, activity) block becomes its own {@link Recording}. The timestamps are
 * nanosecond device counters that jump backwards between blocks (the blocks are stored in code
 * order, not recording order), so the reader never sorts and never joins blocks.
 *
 * <p>The nominal rate is 20 Hz, and most files are close (50.35 ms, 19.86 Hz: left alone, the
 * segmenter counts samples, not milliseconds). A few are not: subject 1607 runs at about 25 Hz and
 * subject 1626's jogging and teeth blocks at about 50 Hz. A 200-sample window of those would span
 * 8 s or 4 s instead of 10 s, so such blocks are resampled to a 50 ms grid (see {@link Resampler})
 * and each one is listed in {@link Dataset#notes()}.
 *
 * <p>Samples of activities outside the requested codes are not errors: they are counted in one note,
 * not in the {@link SkipReport}. Malformed lines are skipped as in {@link WisdmV1Reader}. I/O failures
 * are thrown as a checked {@link IOException} whose message starts with the path.
 */
public final class Wisdm2019Reader {

    private static final Logger LOG = LoggerFactory.getLogger(Wisdm2019Reader.class);

    /** The rate the dataset was meant to be recorded at, and the rate resampled blocks get. */
    public static final int NOMINAL_RATE_HZ = 20;
    /** {@link #NOMINAL_RATE_HZ} as a sampling interval: 50 ms. */
    public static final long NOMINAL_PERIOD_NS = 1_000_000_000L / NOMINAL_RATE_HZ;
    /**
     * How far a block's median interval may be from {@link #NOMINAL_PERIOD_NS}, relative, before the
     * block is resampled. 15 % keeps the usual 50.35 ms and 49.98 ms files untouched and catches
     * 1607 (39.9 ms, 20 % off) and 1626's 50 Hz blocks (20.1 ms, 60 % off).
     */
    public static final double RATE_TOLERANCE = 0.15;
    /**
     * Resampling never interpolates across a gap longer than this (1 s): a longer hole is missing
     * data, and drawing a straight line through it would hide it from the segmenter.
     */
    public static final long MAX_INTERPOLATION_GAP_NS = 1_000_000_000L;

    /** Which files of a directory are read: every sensor-accel file, phone or watch, plain or gzipped. */
    static final Pattern FILE_NAME = Pattern.compile("data_.*_accel_.*\\.txt(\\.gz)?");

    private Wisdm2019Reader() {
    }

    /**
     * Reads one file, or every {@code data_*_accel_*.txt[.gz]} file of a directory in name order.
     *
     * @param codes the activities wanted, in class order, e.g. {@link Activities#DEFAULT_2019_CODES}
     * @throws IOException              naming the path when it is missing, unreadable, or a directory
     *                                  without data files
     * @throws IllegalArgumentException for an unknown or repeated activity code
     */
    public static Dataset read(Path fileOrDirectory, String codes) throws IOException {
        Collector collector = new Collector(codes);
        List<Path> files = Files.isDirectory(fileOrDirectory) ? dataFiles(fileOrDirectory) : List.of(fileOrDirectory);
        for (Path file : files) {
            if (files.size() > 1) {
                collector.parser.startFile(file.getFileName().toString());
            }
            try (BufferedReader in = WisdmLineParser.open(file)) {
                collector.readAll(in, file.toString());
            }
        }
        return collector.finish(fileOrDirectory + (files.size() > 1 ? " (" + files.size() + " files)" : ""));
    }

    /**
     * Reads WISDM 2019 raw text from {@code reader}, which the caller closes.
     *
     * @param sourceName becomes {@link Dataset#source()} and starts error messages
     * @param codes      the activities wanted, in class order
     * @throws IOException when the reader fails, with the source name and line in its message
     */
    public static Dataset read(Reader reader, String sourceName, String codes) throws IOException {
        Collector collector = new Collector(codes);
        collector.readAll(reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16), sourceName);
        return collector.finish(sourceName);
    }

    /** The data files of a directory, sorted by name so that recording order is reproducible. */
    static List<Path> dataFiles(Path directory) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(p -> FILE_NAME.matcher(p.getFileName().toString()).matches())
                    .filter(Files::isRegularFile)
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw WisdmLineParser.cannotRead(directory.toString(), -1, e);
        }
        if (files.isEmpty()) {
            throw WisdmLineParser.cannotRead(directory.toString(), -1, new NoSuchFileException(
                    directory.toString(), null, "no data_*_accel_*.txt or .txt.gz files in the directory"));
        }
        return files;
    }

    /** Whether a block whose median sampling interval is {@code medianNs} gets resampled. */
    static boolean needsResampling(long medianNs) {
        return medianNs > 0 && Math.abs(medianNs - NOMINAL_PERIOD_NS) > RATE_TOLERANCE * NOMINAL_PERIOD_NS;
    }

    /** State of one read call: the selection, the block being filled and what has been produced. */
    private static final class Collector {
        private final String codes;
        private final Map<String, String> selected = new HashMap<>();
        private final SkipReport skipped = new SkipReport();
        private final WisdmLineParser parser = new WisdmLineParser(skipped);
        private final List<Recording> recordings = new ArrayList<>();
        private final List<String> resampleNotes = new ArrayList<>();
        private final Map<String, Long> notSelected = new TreeMap<>();
        private final Block block = new Block();
        private final long started = System.nanoTime();
        private long lines;
        private long samplesRead;

        Collector(String codes) {
            this.codes = Activities.normalize2019Codes(codes);
            for (char c : this.codes.toCharArray()) {
                selected.put(String.valueOf(c), Activities.nameOf2019Code(c));
            }
        }

        void readAll(BufferedReader in, String source) throws IOException {
            long lineNumber = 0;
            try {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lineNumber++;
                    parser.parseLine(line, lineNumber, this::accept);
                }
            } catch (IOException e) {
                throw WisdmLineParser.cannotRead(source, lineNumber, e);
            }
            lines += lineNumber;
            // A file boundary is always a block boundary, even if the next file repeats the subject.
            flush();
            LOG.debug("read {} lines from {}", lineNumber, source);
        }

        private void accept(WisdmLineParser.RawRecord r) {
            if (Activities.find2019Code(r.label()).isEmpty()) {
                parser.skip(WisdmLineParser.UNKNOWN_ACTIVITY, r);
                return;
            }
            if (!block.isFor(r.user(), r.label())) {
                flush();
                block.start(r.user(), r.label(), selected.get(r.label()));
            }
            if (block.activity == null) {
                notSelected.merge(r.label(), 1L, Long::sum);
            } else {
                block.add(r.timestampNs(), r.x(), r.y(), r.z());
            }
        }

        /** Turns the filled block into a recording (resampled if its rate is off) and empties it. */
        private void flush() {
            if (block.size == 0) {
                block.clear();
                return;
            }
            samplesRead += block.size;
            long median = Resampler.medianInterval(block.times, block.size);
            List<Sample> samples;
            if (needsResampling(median)) {
                Resampler.Resampled r = Resampler.resample(block.times, new float[][]{block.x, block.y, block.z},
                        block.size, NOMINAL_PERIOD_NS, MAX_INTERPOLATION_GAP_NS);
                samples = toSamples(r.times(), r.channels()[0], r.channels()[1], r.channels()[2], r.size(), block.activity);
                String note = String.format(Locale.ROOT, "resampled %s/%s from %.1f Hz to %d Hz (%d -> %d samples)",
                        block.subject, block.activity, 1e9 / median, NOMINAL_RATE_HZ, block.size, r.size());
                resampleNotes.add(note);
                LOG.info(note);
            } else {
                samples = toSamples(block.times, block.x, block.y, block.z, block.size, block.activity);
            }
            recordings.add(new Recording(block.subject, samples));
            block.clear();
        }

        private static List<Sample> toSamples(long[] t, float[] x, float[] y, float[] z, int n, String activity) {
            List<Sample> samples = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                samples.add(new Sample(Math.floorDiv(t[i], 1_000_000L), x[i], y[i], z[i], activity));
            }
            return samples;
        }

        Dataset finish(String source) {
            flush();
            List<String> notes = new ArrayList<>(parser.notes());
            notes.addAll(resampleNotes);
            if (!notSelected.isEmpty()) {
                long total = notSelected.values().stream().mapToLong(Long::longValue).sum();
                notes.add(String.format(Locale.ROOT, "left out %,d samples of %d activities not selected (%s; selected %s)",
                        total, notSelected.size(), String.join("", notSelected.keySet()), codes));
            }
            Dataset dataset = new Dataset(source, Activities.classes2019(codes), recordings, skipped, notes);
            LOG.info("read {} samples ({} before resampling) in {} recordings of {} subjects from {} "
                            + "({} lines, {} resampled blocks, {} records skipped) in {} ms",
                    dataset.sampleCount(), samplesRead, recordings.size(),
                    recordings.stream().map(Recording::user).distinct().count(), source, lines,
                    resampleNotes.size(), skipped.total(), (System.nanoTime() - started) / 1_000_000);
            if (skipped.total() > 0) {
                LOG.debug("skipped in {}:\n{}", source, skipped.summary());
            }
            return dataset;
        }
    }

    /**
     * One (subject, activity) block in primitive arrays: a 50 Hz block has ~9,000 samples and
     * resampling wants arrays anyway. {@code activity} is null while skipping an unselected block.
     */
    private static final class Block {
        String subject;
        String code;
        String activity;
        long[] times = new long[4096];
        float[] x = new float[4096];
        float[] y = new float[4096];
        float[] z = new float[4096];
        int size;

        boolean isFor(String subject, String code) {
            return code.equals(this.code) && subject.equals(this.subject);
        }

        void start(String subject, String code, String activity) {
            this.subject = subject;
            this.code = code;
            this.activity = activity;
        }

        void add(long t, float vx, float vy, float vz) {
            if (size == times.length) {
                int grown = size * 2;
                times = Arrays.copyOf(times, grown);
                x = Arrays.copyOf(x, grown);
                y = Arrays.copyOf(y, grown);
                z = Arrays.copyOf(z, grown);
            }
            times[size] = t;
            x[size] = vx;
            y[size] = vy;
            z[size] = vz;
            size++;
        }

        void clear() {
            subject = null;
            code = null;
            activity = null;
            size = 0;
        }
    }
}
