/** Training by time: an architecture timed on this machine before training (./eenet train --cost time). */
package io.eenet.trainer.cost;
