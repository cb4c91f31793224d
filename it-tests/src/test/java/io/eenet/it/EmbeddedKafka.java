package io.eenet.it;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker (KRaft, one combined node) in this JVM, from Kafka's own test kit, for a test class:
 * {@code @RegisterExtension static final EmbeddedKafka KAFKA = new EmbeddedKafka();} starts it before the class's
 * {@code @BeforeAll} methods and stops it after its {@code @AfterAll} methods, as {@code MiniClusterExtension} does
 * for Flink.
 */
final class EmbeddedKafka implements BeforeAllCallback, AfterAllCallback {

    private KafkaClusterTestKit cluster;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    /** Clients of this broker; from the class's {@code @BeforeAll} methods on. */
    KafkaTestClient client() {
        if (cluster == null) {
            throw new IllegalStateException("the broker runs from before the class's @BeforeAll methods to after its"
                    + " @AfterAll methods; register it with @RegisterExtension on a static field");
        }
        return new KafkaTestClient(cluster.bootstrapServers());
    }
}
