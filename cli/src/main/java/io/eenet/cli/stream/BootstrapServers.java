package io.eenet.cli.stream;

import picocli.CommandLine.Option;

/** {@code --bootstrap-servers} of the Kafka tools ({@code produce}, {@code tail}): a running Kafka (a picocli mixin). */
final class BootstrapServers {

    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092", description = "Kafka. Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;
}
