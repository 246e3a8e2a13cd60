package io.harstream.streamapp.serving;

import io.harstream.core.model.BundleException;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.model.registry.ModelArchive;
import io.harstream.core.model.registry.ModelRoles;
import io.harstream.core.model.registry.ModelsTopic;
import io.harstream.streamapp.metrics.HarMetrics;
import io.harstream.streamapp.metrics.HarMetrics.SwapOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The models one stream-app instance serves: the active model (its predictions are written) and, when there is one,
 * the candidate that classifies the same windows in its shadow. Fed the models topic's records in topic order by the
 * topology's global store ({@link #accept}); read by every batch classifier at each batch boundary
 * ({@link #current}), so a new active model takes over on every instance at the next batch of each task.
 *
 * <p>Contract of {@link #accept}: a {@code bundle/<version>} record is decoded at once ({@link ModelArchive#unpack}:
 * size, entry and checksum bounds) and checked against the running topology ({@link ModelCompatibility}); a
 * {@code roles} record names the versions to serve, looked up among the bundles decoded or, for an older version (a
 * rollback), decoded from the store's bytes. A record that cannot be taken (garbage, a truncated zip, an unknown
 * format, a bundle the topology cannot run, a version without a bundle, a roles document that does not parse) is
 * refused: counted ({@code har_model_swaps_total{outcome="refused"}}), logged in one line saying why, and the models
 * served stay as they were. A later valid record is taken as usual.
 *
 * <p>Thread-safety: {@link #accept} runs on the global stream thread, {@link #current} on the stream threads; the
 * snapshot is immutable and published through a volatile field.
 */
public final class ServingModels {

    private static final Logger LOG = LoggerFactory.getLogger(ServingModels.class);

    /**
     * What serves, as of one change.
     *
     * @param active     the active model
     * @param candidate  the candidate, or null when there is none
     * @param generation increases by one with every change of either
     */
    public record Snapshot(ModelBundle active, ModelBundle candidate, long generation) {
        public Snapshot {
            Objects.requireNonNull(active, "active");
        }
    }

    private final ModelBundle baseline;
    private final Function<byte[], ModelBundle> decoder;
    private final HarMetrics metrics;
    private volatile Snapshot current;
    /** Valid, compatible bundles decoded from the topic: the served ones and the latest to arrive. */
    private final Map<String, ModelBundle> decoded = new HashMap<>();
    private String latestArrived;

    private ServingModels(ModelBundle baseline, Function<byte[], ModelBundle> decoder, HarMetrics metrics) {
        this.baseline = Objects.requireNonNull(baseline, "baseline");
        this.decoder = decoder;
        this.metrics = metrics;
        this.current = new Snapshot(baseline, null, 0);
    }

    /** One model, for good: the topology without a models topic (and its tests). */
    public static ServingModels fixed(ModelBundle bundle) {
        return new ServingModels(bundle, null, null);
    }

    /**
     * Serves {@code baseline} (the model the topology is built for) until the models topic says otherwise.
     *
     * @param metrics told of every change ({@link HarMetrics#serving}, {@link HarMetrics#swap})
     */
    public static ServingModels following(ModelBundle baseline, HarMetrics metrics) {
        return new ServingModels(baseline, ModelArchive::unpack, Objects.requireNonNull(metrics, "metrics"));
    }

    /** The model the running topology was built for: what {@link ModelCompatibility} compares with. */
    public ModelBundle baseline() {
        return baseline;
    }

    public Snapshot current() {
        return current;
    }

    /**
     * One record of the models topic, in topic order.
     *
     * @param value  the record's value; null for a tombstone
     * @param stored the latest value of any key of the topic (the global store), for versions named by a later
     *               roles record
     */
    public synchronized void accept(String key, byte[] value, Function<String, byte[]> stored) {
        if (decoder == null) {
            throw new IllegalStateException("a fixed model follows no models topic");
        }
        try {
            take(key, value, stored);
        } catch (RuntimeException e) {
            // Whatever a record holds, it must not stop the global thread (and with it the app).
            refuse("record " + key, e.toString());
        }
    }

    private void take(String key, byte[] value, Function<String, byte[]> stored) {
        Optional<String> bundleVersion = key == null ? Optional.empty() : ModelsTopic.versionOf(key);
        if (key == null) {
            refuse("a record without a key", "keys are " + ModelsTopic.ROLES_KEY + " or "
                    + ModelsTopic.BUNDLE_KEY_PREFIX + "VERSION");
        } else if (key.equals(ModelsTopic.ROLES_KEY)) {
            if (value != null) {
                roles(value, stored);
            }
        } else if (bundleVersion.isPresent()) {
            String version = bundleVersion.get();
            if (value == null) {
                decoded.remove(version);
            } else {
                decode(version, value).ifPresent(b -> {
                    decoded.put(version, b);
                    latestArrived = version;
                    evict();
                });
            }
        } else {
            refuse("record " + key, "unknown key (known: " + ModelsTopic.ROLES_KEY + ", "
                    + ModelsTopic.BUNDLE_KEY_PREFIX + "VERSION)");
        }
    }

    private void roles(byte[] value, Function<String, byte[]> stored) {
        ModelRoles roles;
        try {
            roles = ModelRoles.fromJson(value);
        } catch (RuntimeException e) {
            refuse("the roles record", "it does not parse: " + e.getMessage());
            return;
        }
        Snapshot now = current;
        ModelBundle active = now.active();
        if (roles.active() != null && !roles.active().equals(active.manifest().modelVersion())) {
            Optional<ModelBundle> taken = resolve(roles.active(), "active", stored);
            if (taken.isEmpty()) {
                return;
            }
            active = taken.get();
        }
        ModelBundle candidate = null;
        if (roles.candidate() != null && !roles.candidate().equals(active.manifest().modelVersion())) {
            candidate = now.candidate() != null && roles.candidate().equals(now.candidate().manifest().modelVersion())
                    ? now.candidate() : resolve(roles.candidate(), "candidate", stored).orElse(null);
        }
        if (active == now.active() && candidate == now.candidate()) {
            return;
        }
        Snapshot next = new Snapshot(active, candidate, now.generation() + 1);
        current = next;
        evict();
        metrics.serving(active.manifest(), candidate == null ? null : candidate.manifest());
        if (active != now.active()) {
            metrics.swap(SwapOutcome.ACTIVATED);
            LOG.info("models topic: model {} is active (was {}); it classifies from each task's next batch",
                    version(active), version(now.active()));
        }
        if (candidate != null && candidate != now.candidate()) {
            metrics.swap(SwapOutcome.CANDIDATE);
            LOG.info("models topic: model {} is the candidate, classifying in the shadow of {}", version(candidate),
                    version(active));
        } else if (candidate == null && now.candidate() != null) {
            LOG.info("models topic: no candidate any more (was {})", version(now.candidate()));
        }
    }

    /** The bundle of {@code version}: decoded already, or from the store; empty (refused) when it cannot serve. */
    private Optional<ModelBundle> resolve(String version, String role, Function<String, byte[]> stored) {
        ModelBundle b = decoded.get(version);
        if (b != null) {
            return Optional.of(b);
        }
        byte[] bytes = stored.apply(ModelsTopic.bundleKey(version));
        if (bytes == null) {
            refuse("the roles record", "it names " + version + " " + role + ", and the topic holds no "
                    + ModelsTopic.bundleKey(version));
            return Optional.empty();
        }
        Optional<ModelBundle> d = decode(version, bytes);
        d.ifPresent(bundle -> decoded.put(version, bundle));
        return d;
    }

    private Optional<ModelBundle> decode(String version, byte[] bytes) {
        String what = ModelsTopic.bundleKey(version);
        ModelBundle bundle;
        try {
            bundle = decoder.apply(bytes);
        } catch (BundleException e) {
            refuse(what, e.getMessage());
            return Optional.empty();
        } catch (RuntimeException e) {
            refuse(what, "not a valid bundle: " + e);
            return Optional.empty();
        }
        if (!bundle.manifest().modelVersion().equals(version)) {
            refuse(what, "it holds model " + bundle.manifest().modelVersion());
            return Optional.empty();
        }
        Optional<String> problem = ModelCompatibility.problem(baseline, bundle);
        if (problem.isPresent()) {
            refuse(what, "incompatible with the running topology: " + problem.get());
            return Optional.empty();
        }
        return Optional.of(bundle);
    }

    private void refuse(String what, String why) {
        metrics.swap(SwapOutcome.REFUSED);
        LOG.warn("models topic: refused {}: {}; still serving {}", what, why, version(current.active()));
    }

    /** Keeps the decoded bundles bounded: the served ones and the latest to arrive (a roles record follows it). */
    private void evict() {
        Snapshot s = current;
        decoded.keySet().removeIf(v -> !v.equals(version(s.active())) && !v.equals(latestArrived)
                && (s.candidate() == null || !v.equals(version(s.candidate()))));
    }

    private static String version(ModelBundle b) {
        return b.manifest().modelVersion();
    }
}
