/**
 * What a package's exits cost in time on a machine ({@link io.eenet.model.cost.TimeCosts}), measured by
 * {@link io.eenet.model.runtime.StageTimer}, and the machine and engine settings it was measured on
 * ({@link io.eenet.model.cost.Machine}).
 */
package io.eenet.model.cost;
