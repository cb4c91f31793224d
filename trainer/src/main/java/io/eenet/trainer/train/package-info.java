/** Training: configuration and presets, the cost-aware EENet losses, the TF Java training graph and loop, checkpoints. */
package io.eenet.trainer.train;
