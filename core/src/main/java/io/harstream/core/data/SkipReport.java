package io.harstream.core.data;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a reader passed over and why: reason -> number of lines (or records). Readers never crash
 * on a bad line; they count it here and the caller prints the summary.
 */
public final class SkipReport {

    private final Map<String, Long> counts = new TreeMap<>();
    private final Map<String, String> firstExample = new TreeMap<>();

    public void skip(String reason, String example) {
        counts.merge(reason, 1L, Long::sum);
        firstExample.putIfAbsent(reason, example == null ? "" : abbreviate(example));
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public long count(String reason) {
        return counts.getOrDefault(reason, 0L);
    }

    public Map<String, Long> counts() {
        return Collections.unmodifiableMap(counts);
    }

    public Map<String, String> firstExamples() {
        return Collections.unmodifiableMap(firstExample);
    }

    public void addAll(SkipReport other) {
        other.counts.forEach((k, v) -> counts.merge(k, v, Long::sum));
        other.firstExample.forEach(firstExample::putIfAbsent);
    }

    /** One line per reason, e.g. {@code "  12 zero timestamp (first: '33,Jogging,0,...')"}. */
    public String summary() {
        if (counts.isEmpty()) {
            return "nothing skipped";
        }
        StringBuilder sb = new StringBuilder();
        counts.forEach((reason, n) -> sb.append(String.format("%,10d  %s (first: '%s')%n", n, reason, firstExample.get(reason))));
        return sb.toString().stripTrailing();
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    @Override
    public String toString() {
        return counts.toString();
    }
}
