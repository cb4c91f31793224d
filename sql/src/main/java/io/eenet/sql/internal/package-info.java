/**
 * How the {@code eenet} provider runs: rows micro-batched in the async predict function
 * ({@link io.eenet.sql.internal.MicroBatcher}), decoded and classified with early exit
 * ({@link io.eenet.sql.internal.FrameClassifier}) on the store's current version
 * ({@link io.eenet.sql.internal.StoreModelSource}), and written to the model's output columns
 * ({@link io.eenet.sql.internal.OutputColumn}).
 */
package io.eenet.sql.internal;
