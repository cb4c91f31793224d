package io.eenet.it;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job end to end on a Flink MiniCluster (two TaskManagers of two slots) against a real Kafka broker in this
 * JVM (Kafka's KRaft test kit), with a small trained EENet ({@link StreamScenarios}).
 */
class StreamJobIT {

    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(2).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static java.nio.file.Path tmp;

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    static StreamScenarios scenarios;

    @BeforeAll
    static void setUp() throws Exception {
        scenarios = new StreamScenarios(KAFKA.client(), tmp);
    }

    @Test
    void everyEventYieldsOneOutcomeAndBadEventsReachTheDeadLetterTopicWithTheirReason() throws Exception {
        scenarios.everyEventYieldsOneOutcome("outcomes", METRICS);
    }

    @Test
    void poisonPillsAmongGoodEventsFailAndStallNothing(@InjectMiniCluster MiniCluster cluster) throws Exception {
        scenarios.poisonPillsFailNothing("pills", cluster);
    }

    @Test
    void aKilledTaskManagerLosesAndDuplicatesNothing(@InjectMiniCluster MiniCluster cluster) throws Exception {
        scenarios.aKilledTaskManagerLosesAndDuplicatesNothing("failover", cluster);
    }
}
