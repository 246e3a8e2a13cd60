package io.harstream.trainer.report;

/** Precision, recall and F1 of one class, with its support (number of actual windows). */
public record ClassMetrics(String name, double precision, double recall, double f1, long support) {
}
