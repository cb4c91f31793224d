package io.eenet.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eenet.stream.format.DeadLetterLimits;
import io.eenet.stream.format.EventLimits;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

class StreamJobOptionsTest {

    @Test
    void readsOptionsInBothForms() {
        Configuration conf = StreamJobOptions.parse("--topics.input", "cams", "--model.split=2",
                "--early.batch.max-delay", "5 ms", "--model.thresholds", "0.5;0.25");
        assertThat(conf.get(StreamJobOptions.INPUT_TOPIC)).isEqualTo("cams");
        assertThat(conf.get(StreamJobOptions.SPLIT)).isEqualTo(2);
        assertThat(conf.get(StreamJobOptions.EARLY_BATCH_DELAY)).isEqualTo(Duration.ofMillis(5));
        assertThat(conf.get(StreamJobOptions.THRESHOLDS)).containsExactly(0.5f, 0.25f);
        assertThat(conf.get(StreamJobOptions.RESULTS_TOPIC)).isEqualTo("frame-results"); // default
    }

    @Test
    void rejectsWhatItDoesNotKnowNamingIt() {
        assertThatThrownBy(() -> StreamJobOptions.parse("--topics.inptu", "x"))
                .hasMessageContaining("unknown option --topics.inptu");
        assertThatThrownBy(() -> StreamJobOptions.parse("--model.split"))
                .hasMessageContaining("--model.split needs a value");
        assertThatThrownBy(() -> StreamJobOptions.parse("model.split", "2"))
                .hasMessageContaining("expected --option, got 'model.split'");
        assertThatThrownBy(() -> StreamJobOptions.parse("--model.split", "two"))
                .hasMessageContaining("--model.split");
        assertThatThrownBy(() -> StreamJobOptions.parse("--sink.delivery-guarantee", "twice"))
                .hasMessageContaining("--sink.delivery-guarantee").hasMessageContaining("exactly-once, at-least-once, none");
    }

    @Test
    void deliveryGuaranteeTakesTheDocumentedWordsInAnyCase() {
        assertThat(StreamJobOptions.parse().get(StreamJobOptions.DELIVERY_GUARANTEE))
                .isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(StreamJobOptions.parse("--sink.delivery-guarantee", "at-least-once")
                .get(StreamJobOptions.DELIVERY_GUARANTEE)).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(StreamJobOptions.parse("--sink.delivery-guarantee=EXACTLY-ONCE")
                .get(StreamJobOptions.DELIVERY_GUARANTEE)).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(StreamJobOptions.parse("--sink.delivery-guarantee", "None")
                .get(StreamJobOptions.DELIVERY_GUARANTEE)).isEqualTo(DeliveryGuarantee.NONE);
        assertThat(StreamJobOptions.help()).contains("--sink.delivery-guarantee (default: exactly-once)");
    }

    @Test
    void passesKafkaClientSettingsThrough() {
        Configuration conf = StreamJobOptions.parse("--kafka.properties.security.protocol", "SASL_SSL",
                "--kafka.properties.sasl.mechanism", "PLAIN");
        assertThat(StreamJobOptions.kafkaProperties(conf))
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN").hasSize(2);
    }

    @Test
    void eventLimitsComeFromTheOptions() {
        EventLimits limits = StreamJobOptions.eventLimits(StreamJobOptions.parse("--event.max-image-pixels", "1000",
                "--event.max-jpeg-scans", "7", "--event.image-decode-budget", "250 ms"));

        assertThat(limits.maxImagePixels()).isEqualTo(1000);
        assertThat(limits.maxJpegScans()).isEqualTo(7);
        assertThat(limits.imageDecodeBudgetMillis()).isEqualTo(250);
        assertThat(limits.maxImageSide()).isEqualTo(EventLimits.DEFAULTS.maxImageSide());
    }

    @Test
    void theDeadLetterProducerAcceptsTheLargestDeadLetter() {
        Configuration conf = StreamJobOptions.parse("--dead-letters.max-value-bytes", "4194304",
                "--dead-letters.max-message-chars", "1000");
        DeadLetterLimits limits = StreamJobOptions.deadLetterLimits(conf);
        assertThat(limits.maxValueBytes()).isEqualTo(4 << 20);
        assertThat(limits.maxKeyBytes()).isEqualTo(DeadLetterLimits.DEFAULTS.maxKeyBytes());

        Properties raised = KafkaEnds.deadLetterProducerProperties(new Properties(), limits);
        assertThat(Long.parseLong(raised.getProperty("max.request.size"))).isEqualTo(limits.maxRecordBytes())
                .isGreaterThan(4 << 20);

        Properties larger = new Properties();
        larger.setProperty("max.request.size", "50000000");
        assertThat(KafkaEnds.deadLetterProducerProperties(larger, limits).getProperty("max.request.size"))
                .as("a larger setting is kept").isEqualTo("50000000");
        assertThat(KafkaEnds.deadLetterProducerProperties(new Properties(), DeadLetterLimits.DEFAULTS)
                .getProperty("max.request.size")).as("never below Kafka's default").isEqualTo(String.valueOf(1 << 20));
    }

    @Test
    void exactlyOnceSinksBatchMoreUnlessTheUserSaysOtherwise() {
        Configuration conf = StreamJobOptions.parse("--sink.transaction-timeout", "5 min");
        Properties exactlyOnce = KafkaEnds.producerProperties(new Properties(), conf, DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(exactlyOnce.getProperty("linger.ms")).isEqualTo("50");
        assertThat(exactlyOnce.getProperty("batch.size")).isEqualTo(String.valueOf(256 * 1024));
        assertThat(exactlyOnce.getProperty("transaction.timeout.ms")).isEqualTo("300000");

        Properties atLeastOnce = KafkaEnds.producerProperties(new Properties(), conf, DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(atLeastOnce.getProperty("linger.ms")).as("Kafka's default, records visible when sent").isNull();
        assertThat(atLeastOnce.getProperty("batch.size")).isNull();

        Properties user = StreamJobOptions.kafkaProperties(StreamJobOptions.parse("--kafka.properties.linger.ms", "0"));
        Properties mine = KafkaEnds.producerProperties(user, conf, DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(mine.getProperty("linger.ms")).as("the user's setting wins").isEqualTo("0");
        assertThat(mine.getProperty("batch.size")).isEqualTo(String.valueOf(256 * 1024));
    }

    @Test
    void theSourceFetchesTwoOfTheLargestEventsAtOnce() {
        Configuration conf = StreamJobOptions.parse("--event.max-payload-bytes", String.valueOf(3 << 20));
        Properties raised = KafkaEnds.sourceProperties(new Properties(), StreamJobOptions.eventLimits(conf));
        assertThat(raised.getProperty("max.partition.fetch.bytes")).isEqualTo(String.valueOf(6 << 20));

        Properties larger = new Properties();
        larger.setProperty("max.partition.fetch.bytes", "50000000");
        assertThat(KafkaEnds.sourceProperties(larger, EventLimits.DEFAULTS).getProperty("max.partition.fetch.bytes"))
                .as("a larger setting is kept").isEqualTo("50000000");
        Configuration small = StreamJobOptions.parse("--event.max-payload-bytes", "1000");
        assertThat(KafkaEnds.sourceProperties(new Properties(), StreamJobOptions.eventLimits(small))
                .getProperty("max.partition.fetch.bytes")).as("never below Kafka's default")
                .isEqualTo(String.valueOf(1 << 20));
    }

    @Test
    void helpListsEveryOptionWithItsDescription() {
        String help = StreamJobOptions.help();
        List<ConfigOption<?>> all = StreamJobOptions.all();
        assertThat(all).extracting(ConfigOption::key).as("one option per key").doesNotHaveDuplicates()
                .as("the options the docs and the launcher name").contains("kafka.bootstrap-servers",
                        "topics.input", "topics.results", "topics.dead-letters", "model.name", "model.split",
                        "early.batch.max-in-flight", "heavy.parallelism", "adaptive.enabled", "event.max-payload-bytes",
                        "dead-letters.max-value-bytes");
        for (ConfigOption<?> o : all) {
            assertThat(help).contains("--" + o.key());
            assertThat(o.description().toString()).isNotBlank();
        }
        assertThat(help).contains("--topics.input (default: frames)").doesNotContain("&#39;");
    }
}
