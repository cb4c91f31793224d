package io.eenet.stream.format;

import java.nio.charset.StandardCharsets;

/**
 * A Kafka record of the input topic as the source read it, nothing decoded yet: decoding happens in the
 * early-exit operator, where a bad event becomes a dead letter instead of failing the source.
 *
 * @param key the record's key (the stream id), or null
 * @param value the record's value (an encoded {@code FrameEvent}), or null
 * @param topic the topic read
 * @param partition the partition read
 * @param offset the record's offset
 * @param ingestTimeMs when the job read the record
 */
public record RawEvent(byte[] key, byte[] value, String topic, int partition, long offset, long ingestTimeMs) {

    /** The partitioning key of the early-exit operator: the key as text, "" for a missing key. */
    public String streamKey() {
        return key == null ? "" : new String(key, StandardCharsets.UTF_8);
    }
}
