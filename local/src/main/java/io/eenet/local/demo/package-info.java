/**
 * Feeding the job and reading what it committed: {@link io.eenet.local.demo.FrameFeeder} (simulated cameras from
 * a dataset), {@link io.eenet.local.demo.OutputReader} and {@link io.eenet.local.demo.TagReader} (results and dead
 * letters, or the SQL example's tags, read committed), {@link io.eenet.local.demo.StreamStats} (the demo's live
 * figures).
 */
package io.eenet.local.demo;
