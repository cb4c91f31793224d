/** The data, train and eval commands of ./eenet (picocli). */
package io.eenet.cli.train;
