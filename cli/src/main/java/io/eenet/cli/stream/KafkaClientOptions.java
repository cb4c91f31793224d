package io.eenet.cli.stream;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Kafka client settings for the commands that talk to Kafka themselves ({@code produce}, {@code tail}, {@code demo}):
 * whatever a secured cluster needs (TLS, SASL), as the job takes them with {@code --kafka.properties.*}. A picocli
 * mixin: {@code @Mixin KafkaClientOptions kafka;}.
 */
public final class KafkaClientOptions {

    @Option(names = "--kafka-properties", paramLabel = "FILE",
            description = "A Java properties file of Kafka client settings (e.g. security.protocol, sasl.mechanism,"
                    + " sasl.jaas.config, ssl.truststore.location), as kafka-console-*.sh take with --command-config.")
    Path file;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "One Kafka client setting; repeatable; wins over --kafka-properties and over the command's"
                    + " own settings.")
    Map<String, String> properties = new LinkedHashMap<>();

    /** The user's settings: the file's, then the single ones on top. */
    public Properties settings() throws IOException {
        Properties p = new Properties();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(String.format("--kafka-properties %s is not a file", file));
            }
            try (Reader in = Files.newBufferedReader(file)) {
                p.load(in);
            }
        }
        p.putAll(properties);
        return p;
    }

    /** {@code base} (the command's own settings) with the user's on top. */
    public Properties over(Properties base) throws IOException {
        Properties p = new Properties();
        p.putAll(base);
        p.putAll(settings());
        return p;
    }
}
