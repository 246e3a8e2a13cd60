package io.harstream.trainer;

import io.harstream.core.data.Recording;
import io.harstream.core.data.Sample;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes recordings back out in the WISDM v1.1 line format ({@code user,activity,timestamp_ns,x,y,z;}),
 * device = user, floats in {@link Float#toString} form so they read back bit for bit. The simulator
 * replays this file; replaying it through the stream-app must give the trainer's test windows.
 */
final class TestSetWriter {

    private TestSetWriter() {
    }

    static long write(Path file, List<Recording> recordings) throws IOException {
        long lines = 0;
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            StringBuilder line = new StringBuilder(96);
            for (Recording r : recordings) {
                for (Sample s : r.samples()) {
                    line.setLength(0);
                    line.append(r.user()).append(',').append(s.activity()).append(',')
                            .append(s.timestampMs() * 1_000_000L).append(',').append(s.x()).append(',')
                            .append(s.y()).append(',').append(s.z()).append(";\n");
                    out.append(line);
                    lines++;
                }
            }
        }
        return lines;
    }
}
