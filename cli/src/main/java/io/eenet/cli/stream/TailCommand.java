package io.eenet.cli.stream;

import io.eenet.local.tools.CommittedReader;
import io.eenet.stream.format.BadEventException;
import io.eenet.stream.format.ResultCodec;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./eenet tail}: prints results (or dead letters) as JSON lines. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Print the job's results (or dead letters) as JSON lines, committed records only.")
public final class TailCommand implements Callable<Integer> {

    @Mixin
    BootstrapServers kafkaServers = new BootstrapServers();

    @Option(names = "--topic", description = "Topic to read (default: frame-results, or frame-dead-letters with --dead-letters).")
    String topic;

    @Option(names = "--dead-letters", description = "Read dead letters instead of results.")
    boolean deadLetters;

    @Option(names = "--from-beginning", description = "Start at the topic's beginning instead of its end.")
    boolean fromBeginning;

    @Option(names = "--limit", defaultValue = "0", description = "Stop after this many records (0: run until Ctrl-C).")
    long limit;

    @Mixin
    KafkaClientOptions kafka = new KafkaClientOptions();

    @Override
    public Integer call() throws Exception {
        String t = topic != null ? topic : deadLetters ? "frame-dead-letters" : "frame-results";
        try (var consumer = CommittedReader.fromBeginning(kafkaServers.bootstrapServers, kafka.settings(), t)) {
            if (!fromBeginning) {
                consumer.seekToEnd(consumer.assignment());
            }
            long printed = 0;
            while (limit <= 0 || printed < limit) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    System.out.println(json(r.value()));
                    if (limit > 0 && ++printed >= limit) {
                        break;
                    }
                }
            }
        }
        return 0;
    }

    private String json(byte[] value) {
        try {
            return deadLetters ? ResultCodec.toJson(ResultCodec.decodeDeadLetter(value))
                    : ResultCodec.toJson(ResultCodec.decodeResult(value));
        } catch (BadEventException e) {
            return "{\"error\": \"" + e.reason().code() + "\"}";
        }
    }
}
