/**
 * The soak benchmark ({@code ./eenet bench soak}): the job at a steady rate for many minutes, sampled every
 * 10 s, to show that memory stays flat and throughput keeps up after a warm-up.
 * {@link io.eenet.bench.soak.SoakBenchmark} runs it, {@link io.eenet.bench.soak.SoakReader} counts the outcomes
 * without keeping them, {@link io.eenet.bench.soak.SoakAnalysis} is the pure arithmetic (windows, growth) and
 * {@link io.eenet.bench.soak.SoakReport} prints, serializes and plots.
 */
package io.eenet.bench.soak;
