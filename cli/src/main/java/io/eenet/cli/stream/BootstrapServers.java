package io.eenet.cli.stream;

import picocli.CommandLine.Option;

/**
 * {@code --bootstrap-servers} of the commands that need a running Kafka ({@code produce}, {@code tail}, {@code sql}),
 * {@code ./eenet cluster up}'s unless given (a picocli mixin).
 */
final class BootstrapServers {

    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092", description = "Kafka. Default: ${DEFAULT-VALUE} (./eenet cluster up's).")
    String bootstrapServers;
}
