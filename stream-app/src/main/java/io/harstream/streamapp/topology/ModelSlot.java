package io.harstream.streamapp.topology;

import io.harstream.core.model.ActivityClassifier;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.smoothing.ActivitySmoother;
import io.harstream.streamapp.metrics.HarMetrics;
import io.harstream.streamapp.metrics.HarMetrics.Role;
import io.harstream.streamapp.metrics.ModelMeters;
import io.harstream.streamapp.serving.ServingModels;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.List;
import java.util.function.Supplier;

/**
 * The models one {@link BatchClassifier} classifies with, each on this processor's own classifier (DL4J networks
 * keep per-call state, and tasks on different stream threads classify concurrently). {@link #refresh} is called at
 * each batch boundary: when {@link ServingModels} changed since, the new models take over from this batch on, so a
 * window is classified by exactly one active model, and the models change between two batches of a task, never
 * within one.
 */
final class ModelSlot {

    /**
     * One model as this processor runs it.
     *
     * @param smoother null when the model does not smooth
     */
    record Served(String version, List<String> classes, ActivityClassifier classifier, ActivitySmoother smoother,
                  ModelMeters meters) {
    }

    private final ServingModels models;
    private final HarMetrics metrics;
    private final int batchSize;
    private long generation = -1;
    private Served active;
    private Served candidate;

    ModelSlot(ServingModels models, HarMetrics metrics, int batchSize) {
        this.models = models;
        this.metrics = metrics;
        this.batchSize = batchSize;
    }

    /** One model for good, on the classifier the factory makes (tests that bring their own). */
    static ModelSlot fixed(Supplier<ActivityClassifier> classifierFactory, List<String> classes, String version,
                           ActivitySmoother smoother, HarMetrics metrics) {
        ModelSlot slot = new ModelSlot(null, metrics, 0);
        slot.active = new Served(version, List.copyOf(classes), classifierFactory.get(), smoother,
                metrics.initialModel());
        return slot;
    }

    /** Takes the models {@link ServingModels} serves now, if they changed since the last call. */
    void refresh() {
        if (models == null) {
            return;
        }
        ServingModels.Snapshot now = models.current();
        if (now.generation() == generation) {
            return;
        }
        Served newActive = take(now.active(), Role.ACTIVE);
        Served newCandidate = now.candidate() == null ? null : take(now.candidate(), Role.CANDIDATE);
        active = newActive;
        candidate = newCandidate;
        generation = now.generation();
    }

    Served active() {
        return active;
    }

    /** Null when there is no candidate. */
    Served candidate() {
        return candidate;
    }

    /** The model in its role, on the classifier this processor already has for it (a promotion) or a new one. */
    private Served take(ModelBundle bundle, Role role) {
        String version = bundle.manifest().modelVersion();
        ActivityClassifier classifier = null;
        for (Served s : new Served[] {active, candidate}) {
            if (s != null && s.version().equals(version)) {
                classifier = s.classifier();
            }
        }
        if (classifier == null) {
            classifier = classifier(bundle, batchSize);
        }
        return new Served(version, bundle.classes(), classifier, bundle.smoother().orElse(null),
                metrics.model(bundle.manifest(), role));
    }

    /** A classifier on a copy of the bundle's network, which is only read, under its lock, to make the copy. */
    static ActivityClassifier classifier(ModelBundle bundle, int batchSize) {
        MultiLayerNetwork copy;
        synchronized (bundle.network()) {
            copy = bundle.network().clone();
        }
        return new ActivityClassifier(bundle, copy, batchSize);
    }
}
