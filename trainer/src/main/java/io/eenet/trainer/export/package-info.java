/** Export of a trained network as a staged model package: one SavedModel per stage plus manifest.json. */
package io.eenet.trainer.export;
