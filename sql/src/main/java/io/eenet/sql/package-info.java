/**
 * The {@code eenet} model provider for Flink SQL and the Table API: {@link io.eenet.sql.EenetModelProviderFactory}
 * (found through the {@code Factory} service file) and its options, {@link io.eenet.sql.EenetModelOptions}.
 * Implementation in {@code io.eenet.sql.internal}. See docs/sql.md.
 */
package io.eenet.sql;
