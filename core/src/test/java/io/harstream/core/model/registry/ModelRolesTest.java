package io.harstream.core.model.registry;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelRolesTest {

    private static final Instant T = Instant.parse("2026-12-07T03:00:00Z");

    @Test
    void publishingActiveReplacesTheActiveVersionAndKeepsItInTheHistory() {
        ModelRoles r = ModelRoles.EMPTY.withPublished("a", ModelRole.ACTIVE, T);
        assertThat(r).isEqualTo(new ModelRoles("a", null, List.of(), T.toString(), "publish"));
        r = r.withPublished("b", ModelRole.ACTIVE, T).withPublished("c", ModelRole.ACTIVE, T);
        assertThat(r.active()).isEqualTo("c");
        assertThat(r.history()).containsExactly("b", "a");
        assertThat(r.withPublished("c", ModelRole.ACTIVE, T).history()).as("again: no change").containsExactly("b", "a");
    }

    @Test
    void aCandidateIsPromotedThenRolledBack() {
        ModelRoles r = ModelRoles.EMPTY.withPublished("a", ModelRole.ACTIVE, T)
                .withPublished("b", ModelRole.CANDIDATE, T);
        assertThat(r.candidate()).isEqualTo("b");
        assertThat(r.version(ModelRole.CANDIDATE)).isEqualTo("b");

        ModelRoles promoted = r.promoted("b", T);
        assertThat(promoted).isEqualTo(new ModelRoles("b", null, List.of("a"), T.toString(), "promote"));

        ModelRoles back = promoted.rolledBack(T);
        assertThat(back).isEqualTo(new ModelRoles("a", null, List.of(), T.toString(), "rollback"));
    }

    @Test
    void publishingTheCandidateAsActiveClearsTheCandidate() {
        ModelRoles r = ModelRoles.EMPTY.withPublished("a", ModelRole.ACTIVE, T)
                .withPublished("b", ModelRole.CANDIDATE, T).withPublished("b", ModelRole.ACTIVE, T);
        assertThat(r.candidate()).isNull();
        assertThat(r.history()).containsExactly("a");
    }

    @Test
    void impossibleChangesSayWhy() {
        ModelRoles r = ModelRoles.EMPTY.withPublished("a", ModelRole.ACTIVE, T);
        assertThatThrownBy(() -> r.promoted("b", T)).isInstanceOf(RoleChangeException.class)
                .hasMessage("there is no candidate to promote (active: a); publish one with --role candidate");
        assertThatThrownBy(() -> r.withPublished("b", ModelRole.CANDIDATE, T).promoted("x", T))
                .isInstanceOf(RoleChangeException.class).hasMessage("version x is not the candidate (candidate: b)");
        assertThatThrownBy(() -> r.rolledBack(T)).isInstanceOf(RoleChangeException.class)
                .hasMessage("there is no earlier active version to roll back to (active: a)");
        assertThatThrownBy(() -> r.withPublished("a", ModelRole.CANDIDATE, T)).isInstanceOf(RoleChangeException.class)
                .hasMessage("version a is already active; it cannot also be the candidate");
    }

    @Test
    void theJsonDocumentIsTheDesignedOneAndReadsBack() {
        ModelRoles r = ModelRoles.EMPTY.withPublished("a", ModelRole.ACTIVE, T).withPublished("b", ModelRole.ACTIVE, T);
        String json = new String(r.toJson(), StandardCharsets.UTF_8);
        assertThat(json.replaceAll("\\s", "")).isEqualTo("{\"active\":\"b\",\"candidate\":null,\"history\":[\"a\"],"
                + "\"updatedAt\":\"2026-12-07T03:00:00Z\",\"change\":\"publish\"}");
        assertThat(ModelRoles.fromJson(r.toJson())).isEqualTo(r);
        assertThat(ModelRoles.fromJson("{\"active\":\"x\"}".getBytes(StandardCharsets.UTF_8)).history()).isEmpty();
        assertThatThrownBy(() -> ModelRoles.fromJson("nope".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("roles record: not a roles document");
    }

    @Test
    void rolesAreNamedAsOnTheCommandLine() {
        assertThat(ModelRole.fromId("Candidate")).isEqualTo(ModelRole.CANDIDATE);
        assertThat(ModelRole.ACTIVE.id()).isEqualTo("active");
        assertThatThrownBy(() -> ModelRole.fromId("shadow")).hasMessage("unknown role 'shadow' (one of [active, candidate])");
    }
}
