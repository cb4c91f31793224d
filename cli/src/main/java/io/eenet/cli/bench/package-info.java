/**
 * {@code ./eenet bench} and {@code ./eenet profile}: benchmarks that print comparisons measured in one run on one
 * machine. {@link io.eenet.cli.bench.BenchCommand} is the command group; the measurements live in the bench module
 * ({@code io.eenet.bench.runtime}, {@code .stream}, {@code .soak}, {@code .poison}).
 */
package io.eenet.cli.bench;
