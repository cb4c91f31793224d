/**
 * The job on this machine: {@link io.eenet.local.LocalKafka} (a Kafka broker in a child JVM) and
 * {@link io.eenet.local.LocalJob} (the job on a local Flink in this JVM), what the demo, the stream benchmarks and
 * {@code ./eenet sql} run on.
 */
package io.eenet.local;
