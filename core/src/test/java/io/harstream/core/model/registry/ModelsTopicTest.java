package io.harstream.core.model.registry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelsTopicTest {

    @Test
    void bundleKeysNameTheirVersion() {
        assertThat(ModelsTopic.bundleKey("20261207T030000Z-ab")).isEqualTo("bundle/20261207T030000Z-ab");
        assertThat(ModelsTopic.versionOf("bundle/v1")).contains("v1");
        assertThat(ModelsTopic.versionOf(ModelsTopic.ROLES_KEY)).isEmpty();
        assertThat(ModelsTopic.versionOf("bundle/")).isEmpty();
        assertThatThrownBy(() -> ModelsTopic.bundleKey(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTopicIsCompactedAndTakesTheLargestArchive() {
        assertThat(ModelsTopic.topicConfigs()).containsEntry("cleanup.policy", "compact");
        assertThat(Integer.parseInt(ModelsTopic.topicConfigs().get("max.message.bytes")))
                .isGreaterThan(ModelArchive.MAX_ARCHIVE_BYTES);
    }
}
