/** Evaluation of model packages with TF Java: every exit's output, operating points under the EENet and max-softmax rules, reports. */
package io.eenet.trainer.eval;
