package io.eenet.it;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * {@link StreamJobIT}'s outcome scenario against Kafka in a container (Testcontainers, the official
 * {@code apache/kafka} image), for users with Docker. Skipped where no Docker engine runs, as on our
 * machines and in CI: there the in-JVM broker of {@link StreamJobIT} covers the same scenario.
 */
@Testcontainers(disabledWithoutDocker = true)
class StreamJobContainerIT {

    /** The same Kafka version as the clients (kafka.version in the parent pom). */
    static final String KAFKA_IMAGE = "apache/kafka:4.2.0";

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(KAFKA_IMAGE)
            .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
            .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1");

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir
    static java.nio.file.Path tmp;

    static StreamScenarios scenarios;

    @BeforeAll
    static void setUp() throws Exception {
        scenarios = new StreamScenarios(new KafkaTestClient(KAFKA.getBootstrapServers()), tmp);
    }

    @Test
    void everyEventYieldsOneOutcomeAndBadEventsReachTheDeadLetterTopicWithTheirReason() throws Exception {
        scenarios.everyEventYieldsOneOutcome("container-outcomes", null);
    }
}
