/**
 * The streaming side of {@code ./eenet}: {@code demo}, {@code produce}, {@code tail}, {@code sql} and
 * {@code cluster}, with {@link io.eenet.cli.stream.KafkaClientOptions} (Kafka client settings, a picocli mixin);
 * the work is done by the local module ({@code io.eenet.local.*}).
 */
package io.eenet.cli.stream;
