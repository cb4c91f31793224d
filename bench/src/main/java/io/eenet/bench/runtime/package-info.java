/**
 * The runtime benchmark ({@code ./eenet bench runtime}): per-stage latency against batch size, throughput
 * of an EENet with early exit against its baseline on a test set, and native memory over many inferences,
 * all through the early-exit runtime (the runtime module). {@link io.eenet.bench.runtime.RuntimeBenchmark} measures,
 * {@link io.eenet.bench.runtime.RuntimeReport} holds and prints the figures.
 */
package io.eenet.bench.runtime;
