/** {@code ./eenet sql}: Flink SQL scripts on a local Flink, with the {@code eenet} model provider. */
package io.eenet.local.sql;
