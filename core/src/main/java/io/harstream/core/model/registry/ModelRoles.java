package io.harstream.core.model.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code roles} record of the models topic ({@link ModelsTopic#ROLES_KEY}): the whole current state, so the
 * latest record alone says what every instance serves. Each change is a new record made from the latest one with
 * {@link #withPublished}, {@link #promoted} or {@link #rolledBack}; this record is immutable.
 *
 * <p>JSON: {@code {"active": "<version>"|null, "candidate": "<version>"|null, "history": [earlier active versions,
 * newest first], "updatedAt": "<ISO-8601>", "change": "publish"|"promote"|"rollback"}} (docs/design.md, "Models
 * topic").
 *
 * @param active    the version whose predictions are the service's, or null before any
 * @param candidate the version shadowing it, or null
 * @param history   versions that were active before, newest first (what {@link #rolledBack} returns to); never null
 * @param updatedAt when this state was made, ISO-8601; null only in {@link #EMPTY}
 * @param change    {@code publish}, {@code promote} or {@code rollback}: what made this state; null only in
 *                  {@link #EMPTY}
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"active", "candidate", "history", "updatedAt", "change"})
public record ModelRoles(String active, String candidate, List<String> history, String updatedAt, String change) {

    /** The state of a topic with no roles record yet. */
    public static final ModelRoles EMPTY = new ModelRoles(null, null, List.of(), null, null);

    public static final String PUBLISH = "publish";
    public static final String PROMOTE = "promote";
    public static final String ROLLBACK = "rollback";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ModelRoles {
        history = history == null ? List.of() : List.copyOf(history);
    }

    /**
     * The state after publishing {@code version} in {@code role}. As active it replaces the active version, which
     * goes to the head of the history (and it stops being the candidate if it was one); as candidate it replaces the
     * candidate. Publishing the active version again as active changes nothing but the time.
     *
     * @throws RoleChangeException when {@code version} is the active version and {@code role} is candidate
     */
    public ModelRoles withPublished(String version, ModelRole role, Instant at) {
        Objects.requireNonNull(version, "version");
        if (role == ModelRole.CANDIDATE) {
            if (version.equals(active)) {
                throw new RoleChangeException("version " + version + " is already active; it cannot also be the candidate");
            }
            return new ModelRoles(active, version, history, at.toString(), PUBLISH);
        }
        return activated(version, version.equals(candidate) ? null : candidate, at, PUBLISH);
    }

    /**
     * The state after the candidate {@code version} becomes active; the active version goes to the head of the
     * history and there is no candidate any more.
     *
     * @throws RoleChangeException when there is no candidate, or {@code version} is not it
     */
    public ModelRoles promoted(String version, Instant at) {
        if (candidate == null) {
            throw new RoleChangeException("there is no candidate to promote" + (active == null ? ""
                    : " (active: " + active + "); publish one with --role candidate"));
        }
        if (!candidate.equals(version)) {
            throw new RoleChangeException("version " + version + " is not the candidate (candidate: " + candidate + ")");
        }
        return activated(version, null, at, PROMOTE);
    }

    /**
     * The state after the newest version of the history becomes active again; the version active until now is
     * dropped (it stays on the topic and can be published again). The candidate stays.
     *
     * @throws RoleChangeException when the history is empty
     */
    public ModelRoles rolledBack(Instant at) {
        if (history.isEmpty()) {
            throw new RoleChangeException("there is no earlier active version to roll back to"
                    + (active == null ? "" : " (active: " + active + ")"));
        }
        String previous = history.get(0);
        return new ModelRoles(previous, previous.equals(candidate) ? null : candidate,
                history.subList(1, history.size()), at.toString(), ROLLBACK);
    }

    private ModelRoles activated(String version, String newCandidate, Instant at, String why) {
        List<String> h = new ArrayList<>();
        if (active != null && !active.equals(version)) {
            h.add(active);
        }
        for (String v : history) {
            if (!v.equals(version) && !h.contains(v)) {
                h.add(v);
            }
        }
        return new ModelRoles(version, newCandidate, h, at.toString(), why);
    }

    /** The version in {@code role}, or null. */
    public String version(ModelRole role) {
        return role == ModelRole.ACTIVE ? active : candidate;
    }

    /** The JSON document, UTF-8. */
    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses a roles document.
     *
     * @throws IllegalArgumentException with one line when it is not one
     */
    public static ModelRoles fromJson(byte[] json) {
        try {
            ModelRoles r = JSON.readValue(json, ModelRoles.class);
            if (r == null) {
                throw new IllegalArgumentException("roles record: empty document");
            }
            return r;
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            int nl = msg.indexOf('\n');
            throw new IllegalArgumentException("roles record: not a roles document ("
                    + (nl < 0 ? msg : msg.substring(0, nl)) + ")", e);
        }
    }
}
