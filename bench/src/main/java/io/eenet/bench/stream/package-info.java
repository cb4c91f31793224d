/**
 * The stream benchmark ({@code ./eenet bench stream}): the early-exit job against the same job with the
 * baseline model, end to end through a local Kafka broker and a local Flink cluster, at saturation and at
 * fractions of it, with the runtime benchmark's early-exit throughput measured in the same JVM as the reference.
 * {@link io.eenet.bench.stream.StreamBenchmark} measures, {@link io.eenet.bench.stream.StreamReport} holds and
 * prints the figures, {@link io.eenet.bench.stream.PerEventCosts} times each step of the job's own code alone,
 * {@link io.eenet.bench.stream.CpuUse} says where the machine's CPU went, and
 * {@link io.eenet.bench.stream.Throughput} and {@link io.eenet.bench.stream.Percentiles} are the pure arithmetic.
 */
package io.eenet.bench.stream;
