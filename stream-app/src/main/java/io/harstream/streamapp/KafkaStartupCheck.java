package io.harstream.streamapp;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import io.harstream.core.model.registry.ModelsTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits, before Kafka Streams starts, until the cluster answers and the app's topics exist. Streams
 * would retry on its own, but its log says little more than "connection refused" at DEBUG, and a
 * missing source topic stops it for good. Here the operator gets one clear line per attempt —
 * "waiting for Kafka at ..." or "waiting for topic(s) ..." — with a growing pause between attempts.
 */
final class KafkaStartupCheck {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaStartupCheck.class);
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(30);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private KafkaStartupCheck() {
    }

    /**
     * Returns once the cluster at {@code bootstrap} lists all {@code topics}; retries forever otherwise, except
     * when the cluster refuses the credentials.
     *
     * @param adminConfig client settings (security included) for the check's admin client
     * @throws InterruptedException when the app is closed while waiting
     * @throws CredentialsRefused    when the cluster refuses the client's credentials (SASL)
     */
    static void awaitTopics(Map<String, Object> adminConfig, String bootstrap, Collection<String> topics)
            throws InterruptedException {
        Duration pause = FIRST_PAUSE;
        LOG.info("connecting to Kafka at {}", bootstrap);
        while (true) {
            String problem = check(adminConfig, bootstrap, topics);
            if (problem == null) {
                LOG.info("Kafka at {} is reachable and topics {} exist", bootstrap, topics);
                return;
            }
            LOG.warn("{}; retrying in {} s", problem, pause.toSeconds());
            Thread.sleep(pause.toMillis());
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        }
    }

    /**
     * The cluster answered and refused the client's credentials: waiting will not change that, so the app stops
     * with this one line (exit 2) instead of retrying.
     */
    static final class CredentialsRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CredentialsRefused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Creates the models topic, compacted, when it does not exist (another instance or {@code models publish} may
     * create it at the same moment: that is fine), and waits until its partition has a leader.
     */
    static void ensureModelsTopic(Map<String, Object> adminConfig, String topic) throws InterruptedException {
        try (Admin admin = Admin.create(adminConfig)) {
            if (!admin.listTopics().names().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(topic)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
                                    .configs(ModelsTopic.topicConfigs()))).all()
                            .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    LOG.info("created the models topic {}", topic);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new KafkaException("cannot create the models topic " + topic + ": " + e.getCause(),
                                e.getCause());
                    }
                }
            }
            // Also when it exists: another instance may have created it a moment ago.
            awaitLeader(admin, topic);
        } catch (ExecutionException e) {
            throw new KafkaException("cannot list the topics: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("cannot create the models topic " + topic + ": no answer within "
                    + CALL_TIMEOUT.toSeconds() + " s", e);
        }
    }

    /**
     * Waits until the new topic's partition has a leader in the broker's metadata: Kafka Streams' global store
     * fails for good ("no partitions available") when it starts before that, which a just-created topic can be.
     */
    private static void awaitLeader(Admin admin, String topic) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
        while (true) {
            try {
                TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
                if (d != null && !d.partitions().isEmpty()
                        && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new KafkaException("cannot describe the models topic " + topic + ": " + e.getCause(),
                            e.getCause());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the models topic " + topic + " has no leader yet");
            }
            Thread.sleep(100);
        }
    }

    /** Null when all is well, else what is wrong, in a sentence for the log. */
    private static String check(Map<String, Object> adminConfig, String bootstrap, Collection<String> topics)
            throws InterruptedException {
        Admin admin;
        try {
            admin = Admin.create(adminConfig);
        } catch (KafkaException e) {
            // e.g. a bootstrap host name that does not resolve yet while the broker's container starts
            return "waiting for Kafka at " + bootstrap + ": " + e.getMessage();
        }
        try {
            Set<String> existing = admin.listTopics().names().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<String> missing = new ArrayList<>(topics);
            missing.removeAll(existing);
            if (missing.isEmpty()) {
                return null;
            }
            return "waiting for topic(s) " + missing + " to be created on Kafka at " + bootstrap
                    + " (the app does not create its topics)";
        } catch (TimeoutException e) {
            return "waiting for Kafka at " + bootstrap + ": no answer within " + CALL_TIMEOUT.toSeconds() + " s";
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException refused) {
                throw new CredentialsRefused("Kafka at " + bootstrap + " refused the credentials: "
                        + refused.getMessage(), refused);
            }
            return "waiting for Kafka at " + bootstrap + ": " + e.getCause();
        } finally {
            // Not the default close, which waits for the timed-out call to give up on its own.
            admin.close(Duration.ofSeconds(1));
        }
    }
}
