/**
 * {@code ./eenet bench}: benchmarks that print comparisons measured in one run on one machine.
 * {@link io.eenet.bench.BenchCli} is the command line; the measurements live in
 * {@link io.eenet.bench.runtime}.
 */
package io.eenet.bench;
