package io.eenet.cli.stream;

import static io.eenet.cli.CommandLines.parsed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KafkaClientOptionsTest {

    @TempDir
    Path tmp;

    @Test
    void singleSettingsWinOverTheFileWhichWinsOverTheCommandsOwn() throws Exception {
        Path file = tmp.resolve("client.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nacks=1\n");
        ProduceCommand produce = parsed(new ProduceCommand(), "--dir", tmp.toString(), "--kafka-properties",
                file.toString(), "--kafka-property", "sasl.mechanism=SCRAM-SHA-512", "--kafka-property",
                "ssl.truststore.location=/etc/kafka/truststore.jks");
        Properties own = new Properties();
        own.setProperty("acks", "all");
        own.setProperty("bootstrap.servers", "broker:9093");

        Properties p = produce.kafka.over(own);

        assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.jks").containsEntry("acks", "1")
                .containsEntry("bootstrap.servers", "broker:9093").hasSize(5);
    }

    @Test
    void tailAndDemoTakeThemToo() throws Exception {
        TailCommand tail = parsed(new TailCommand(), "--kafka-property", "security.protocol=SSL");
        assertThat(tail.kafka.settings()).containsEntry("security.protocol", "SSL").hasSize(1);

        CommandLine demo = new CommandLine(new DemoCommand());
        assertThat(demo.getCommandSpec().findOption("--kafka-property")).isNotNull();
        assertThat(demo.getCommandSpec().findOption("--kafka-properties")).isNotNull();
    }

    @Test
    void aMissingFileIsNamed() {
        TailCommand tail = parsed(new TailCommand(), "--kafka-properties", tmp.resolve("nope").toString());

        assertThatThrownBy(() -> tail.kafka.settings()).hasMessageContaining("nope").hasMessageContaining("not a file");
    }
}
