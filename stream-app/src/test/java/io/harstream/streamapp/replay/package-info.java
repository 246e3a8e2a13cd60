/**
 * The project's central end-to-end check: labelled recordings replayed as live events through the topology
 * must give exactly the trainer's offline windows and confusion matrix, both with synthetic recordings and
 * with a test set and bundle the real trainer wrote.
 */
package io.harstream.streamapp.replay;
