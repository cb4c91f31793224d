/**
 * The Kafka format of the streaming job (docs/event-format.md): input events, results and dead letters as
 * Avro single-object records ({@link io.eenet.stream.format.EventCodec}, {@link io.eenet.stream.format.ResultCodec}),
 * the reasons a bad event is dead-lettered ({@link io.eenet.stream.format.Reason}), and the conversion of an
 * event's image to a model's input ({@link io.eenet.stream.format.ImageConverter}).
 */
package io.eenet.stream.format;
