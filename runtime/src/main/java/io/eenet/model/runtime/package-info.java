/**
 * The early-exit runtime: runs a staged model package (see {@code docs/model-package.md}) on DJL's
 * TensorFlow engine, stage by stage, letting each example leave at the first exit that is confident
 * enough.
 *
 * <p>{@link io.eenet.model.runtime.EarlyExitModel} is the loaded package, shared by all threads;
 * {@link io.eenet.model.runtime.EarlyExitRunner} (one per thread, from
 * {@link io.eenet.model.runtime.EarlyExitModel#newRunner()}) runs a {@link io.eenet.model.runtime.Batch}
 * through a range of stages and returns one {@link io.eenet.model.runtime.Outcome} per example.
 * {@link io.eenet.model.store.VersionFollower} follows a model store's current version of a name (between
 * batches, a new version loaded in full before it serves).
 * {@link io.eenet.model.runtime.TensorFlowNatives} makes the engine load TF Java's natives from the
 * class path, offline, without settings from the user.
 */
package io.eenet.model.runtime;
