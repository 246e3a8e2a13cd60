/**
 * The one-process demo ({@code harstream demo}): an embedded broker, the stream-app, the simulator and
 * optionally Prometheus wired together in one JVM, with a live text view of rates, dead letters and the
 * confusion matrix so far. Only wiring: the work is done by the same classes as the separate commands, so
 * what the demo shows is what the deployed pipeline does.
 */
package io.harstream.demo;
