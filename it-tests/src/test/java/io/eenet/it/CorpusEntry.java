package io.eenet.it;

import org.apache.kafka.clients.producer.ProducerRecord;

/** One bad event of the {@link MalformedCorpus}: its name, the reason code it must get, the record. */
record CorpusEntry(String name, String expectedReason, ProducerRecord<byte[], byte[]> record) {}
