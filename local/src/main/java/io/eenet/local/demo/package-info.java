/**
 * Feeding the job and reading what it committed: {@link io.eenet.local.demo.FrameFeeder} (simulated cameras from
 * a dataset) and {@link io.eenet.local.demo.StreamStats} (the demo's live figures, from the outcomes an
 * {@link io.eenet.local.tools.OutcomeReader} reads).
 */
package io.eenet.local.demo;
