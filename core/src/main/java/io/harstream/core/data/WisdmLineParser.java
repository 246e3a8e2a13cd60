package io.harstream.core.data;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The record syntax both WISDM raw formats share, {@code user,label,timestamp,x,y,z;}, and the
 * reasons a record is passed over. Both readers feed their lines through one parser so that a
 * malformed line means the same thing, and is counted under the same reason, in either dataset.
 *
 * <p>The parser is deliberately strict about fields and lenient about the {@code ;} terminator:
 * the v1.1 file has lines with no {@code ;}, with {@code ;;} and with several records, all of which
 * are complete and unambiguous once split on {@code ;}. A record with a missing or extra field is
 * never repaired, because guessing which field is missing would shift the axes.
 */
public final class WisdmLineParser {

    /** A blank line, or one holding only {@code ;} separators. */
    public static final String EMPTY_LINE = "empty line";
    /** Not exactly six non-blank comma-separated fields (e.g. {@code 1,Walking,5,0.1,0.2,;}). */
    public static final String WRONG_FIELD_COUNT = "wrong field count";
    /** User, timestamp or an axis that is not a number. */
    public static final String NON_NUMERIC = "non-numeric field";
    /** An axis that is NaN or infinite (or overflows a float). */
    public static final String NON_FINITE = "non-finite value";
    /** A timestamp of 0: in v1.1 these are placeholders, not device times. */
    public static final String ZERO_TIMESTAMP = "zero timestamp";
    /** A label that is not one of the dataset's activities (v1.1 name or 2019 code). */
    public static final String UNKNOWN_ACTIVITY = "unknown activity";

    private static final int BUFFER_BYTES = 1 << 16;

    /** One syntactically valid record; {@code label} is still the file's spelling. */
    record RawRecord(String user, String label, long timestampNs, float x, float y, float z,
                     long lineNumber, String text) {
    }

    private final SkipReport skipped;
    private String fileName = "";
    private long unterminatedLines;
    private long extraSeparatorLines;
    private long multiRecordLines;
    private long recordsOnMultiRecordLines;

    WisdmLineParser(SkipReport skipped) {
        this.skipped = skipped;
    }

    /**
     * Opens a WISDM text file for line-by-line reading, decompressing on the fly when the name ends
     * in {@code .gz}. The caller closes the reader.
     *
     * @throws IOException whose message starts with the path, when the file cannot be opened
     */
    static BufferedReader open(Path file) throws IOException {
        InputStream in = null;
        try {
            in = Files.newInputStream(file);
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")) {
                in = new GZIPInputStream(in, BUFFER_BYTES); // reads the header: fails here on a non-gzip file
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), BUFFER_BYTES);
        } catch (IOException e) {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw cannotRead(file.toString(), -1, e);
        }
    }

    /**
     * The one exception the readers throw for I/O trouble. Its message is complete on its own (the
     * path, the line reached, what went wrong in words), so a command line can print it as is; the
     * original exception is the cause.
     */
    static IOException cannotRead(String source, long lineNumber, IOException e) {
        String where = lineNumber > 0 ? source + " (after line " + lineNumber + ")" : source;
        return new IOException(where + ": " + describe(e), e);
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException nsf) {
            return nsf.getReason() != null ? nsf.getReason() : "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof ZipException || e instanceof EOFException) {
            return "corrupt or truncated gzip data (" + e.getMessage() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * Names the file the following lines come from, so that skip examples from a multi-file read
     * say where to look ("data_1607_accel_phone.txt.gz line 12: ...").
     */
    void startFile(String name) {
        this.fileName = name == null || name.isEmpty() ? "" : name + " ";
    }

    /** Parses one line, handing each valid record to {@code sink} and counting everything else. */
    void parseLine(String line, long lineNumber, Consumer<RawRecord> sink) {
        // Fast path: the common, well-formed "one record, one final ;" line (every line of WISDM 2019).
        int firstSemicolon = line.indexOf(';');
        if (firstSemicolon > 0 && firstSemicolon == line.length() - 1) {
            String record = line.substring(0, firstSemicolon);
            if (!record.isBlank()) {
                parseRecord(record, lineNumber, sink);
                return;
            }
        }
        String[] pieces = line.split(";", -1);
        List<String> records = new ArrayList<>(2);
        boolean extraSeparator = false;
        for (int i = 0; i < pieces.length; i++) {
            if (!pieces[i].isBlank()) {
                records.add(pieces[i]);
            } else if (i < pieces.length - 1) {
                // A blank piece before the last ';' comes from ";;" or a leading ';'.
                extraSeparator = true;
            }
        }
        if (records.isEmpty()) {
            skipped.skip(EMPTY_LINE, fileName + "line " + lineNumber);
            return;
        }
        if (!pieces[pieces.length - 1].isBlank()) {
            unterminatedLines++;
        }
        if (extraSeparator) {
            extraSeparatorLines++;
        }
        if (records.size() > 1) {
            multiRecordLines++;
            recordsOnMultiRecordLines += records.size();
        }
        for (String record : records) {
            parseRecord(record, lineNumber, sink);
        }
    }

    private void parseRecord(String text, long lineNumber, Consumer<RawRecord> sink) {
        String[] f = text.split(",", -1);
        if (f.length != 6) {
            skip(WRONG_FIELD_COUNT, lineNumber, text);
            return;
        }
        for (int i = 0; i < f.length; i++) {
            f[i] = f[i].strip();
            if (f[i].isEmpty()) {
                // "1,Walking,5,0.1,0.2," has six pieces but only five values: the z is missing.
                skip(WRONG_FIELD_COUNT, lineNumber, text);
                return;
            }
        }
        long timestamp;
        float x;
        float y;
        float z;
        try {
            Long.parseLong(f[0]);
            timestamp = Long.parseLong(f[2]);
            x = parseAxis(f[3]);
            y = parseAxis(f[4]);
            z = parseAxis(f[5]);
        } catch (NumberFormatException e) {
            skip(NON_NUMERIC, lineNumber, text);
            return;
        }
        if (!Float.isFinite(x) || !Float.isFinite(y) || !Float.isFinite(z)) {
            skip(NON_FINITE, lineNumber, text);
            return;
        }
        if (timestamp == 0) {
            skip(ZERO_TIMESTAMP, lineNumber, text);
            return;
        }
        sink.accept(new RawRecord(f[0], f[1], timestamp, x, y, z, lineNumber, text));
    }

    /**
     * {@link Float#parseFloat} plus a character check: Java also accepts "1.5f", "2d" and hex
     * floats, which are not something a sensor logger writes, so they count as non-numeric. "NaN"
     * and "Infinity" pass through so they can be reported as non-finite rather than non-numeric.
     */
    private static float parseAxis(String s) {
        float v = Float.parseFloat(s);
        if (Float.isFinite(v)) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                    throw new NumberFormatException(s);
                }
            }
        }
        return v;
    }

    /** Counts a record that parsed but was rejected by the reader (e.g. {@link #UNKNOWN_ACTIVITY}). */
    void skip(String reason, RawRecord record) {
        skip(reason, record.lineNumber(), record.text());
    }

    private void skip(String reason, long lineNumber, String text) {
        skipped.skip(reason, fileName + "line " + lineNumber + ": " + text.strip());
    }

    /**
     * The terminator quirks that were accepted, as Dataset notes: they change nothing in the data,
     * but a user comparing sample counts with {@code wc -l} deserves to know about them.
     */
    List<String> notes() {
        List<String> notes = new ArrayList<>();
        if (unterminatedLines > 0) {
            notes.add(String.format(Locale.ROOT, "accepted %,d lines without a final ';'", unterminatedLines));
        }
        if (extraSeparatorLines > 0) {
            notes.add(String.format(Locale.ROOT, "accepted %,d lines with extra ';'", extraSeparatorLines));
        }
        if (multiRecordLines > 0) {
            notes.add(String.format(Locale.ROOT, "split %,d lines holding several records (%,d records)",
                    multiRecordLines, recordsOnMultiRecordLines));
        }
        return notes;
    }
}
