/**
 * Frames and outcomes on Kafka for the tools: {@link io.eenet.local.tools.Frames} (a dataset's images as frame
 * events and records), {@link io.eenet.local.tools.CommittedReader} (a topic read committed).
 */
package io.eenet.local.tools;
