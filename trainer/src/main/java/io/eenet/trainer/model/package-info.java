/** The EENet architecture (ResNet 6n+2 with early exits), its MAC accounting and exit placement, and the TensorFlow graph builder shared by training, evaluation and export. */
package io.eenet.trainer.model;
