package io.eenet.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.local.LocalKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.output.TeeOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local broker that the demo, the cluster and the benchmarks start ({@link LocalKafka}, a child JVM): it answers
 * once {@code start} returns, and this JVM's Kafka clients log no warning while it starts (an admin client that
 * connects before the broker listens logs one per refused connection, which reads as an error).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LocalKafkaIT {

    @TempDir
    Path tmp;

    @Test
    void startsAnsweringAndWithoutClientWarnings() throws Exception {
        // slf4j's simple logger, the one on this classpath, writes to whatever System.err is at the time.
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeOutputStream(err, captured), true, StandardCharsets.UTF_8));
        try (LocalKafka broker = LocalKafka.start(tmp.resolve("kafka"), 0, System.out)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            }
        } finally {
            System.setErr(err);
        }
        List<String> warnings = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains(" WARN org.apache.kafka")).toList();
        assertThat(warnings).as("Kafka client warnings while the local broker started").isEmpty();
    }
}
