/**
 * The command line, the only place picocli is used: {@link io.eenet.cli.EenetCli} is the one root of every
 * {@code ./eenet} command, {@link io.eenet.cli.CliErrors} its error handling. The commands live in
 * {@code io.eenet.cli.train} (data, train, eval), {@code io.eenet.cli.store} (store), {@code io.eenet.cli.bench}
 * (profile, bench ...) and {@code io.eenet.cli.stream} (demo, produce, tail, sql, cluster); each calls library code
 * of the modules below (trainer, runtime, bench, local).
 */
package io.eenet.cli;
