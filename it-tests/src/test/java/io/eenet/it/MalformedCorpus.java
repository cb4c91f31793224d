package io.eenet.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The malformed-input corpus of the operators' tests ({@code operators/src/test/resources/corpus}: one Kafka
 * record per kind of bad event, with the reason code it must get), as records for the job.
 */
final class MalformedCorpus {

    /** Where the corpus is, from this module's directory (Maven runs tests there). */
    static final Path DIR = Path.of("..", "operators", "src", "test", "resources", "corpus");

    private MalformedCorpus() {}

    /** The corpus's bad entries (not its {@code ok} ones) as records for {@code topic}. */
    static List<CorpusEntry> load(String topic) throws IOException {
        List<CorpusEntry> entries = new ArrayList<>();
        List<String> lines = Files.readAllLines(DIR.resolve("index.csv"));
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            if (f[1].equals("ok")) {
                continue;
            }
            entries.add(new CorpusEntry(f[0], f[1], new ProducerRecord<>(topic, read(f[0] + ".key"), read(f[0] + ".value"))));
        }
        return entries;
    }

    private static byte[] read(String file) throws IOException {
        Path p = DIR.resolve(file);
        return Files.exists(p) ? Files.readAllBytes(p) : null;
    }
}
