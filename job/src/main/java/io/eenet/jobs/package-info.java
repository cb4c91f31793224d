/**
 * The streaming job, what a TaskManager runs: {@link io.eenet.jobs.EarlyExitPipeline} (the topology),
 * {@link io.eenet.jobs.KafkaEnds} (its Kafka source and sinks), {@link io.eenet.jobs.StreamJobOptions} (its options)
 * and {@link io.eenet.jobs.EarlyExitJob} (its main, as {@code flink run} calls it). See docs/architecture.md.
 */
package io.eenet.jobs;
