package io.eenet.it;

import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.FrameEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The single records of issue 15 that failed, stalled or mis-classified the job, as Kafka records for a topic:
 * those of {@link io.eenet.bench.poison.PoisonPills} (which {@code bench poison} sends too) and events that look
 * hostile but must be classified.
 */
final class PoisonPills {

    static final String STREAM = io.eenet.bench.poison.PoisonPills.STREAM;
    static final int BIG_VALUE_BYTES = io.eenet.bench.poison.PoisonPills.BIG_VALUE_BYTES;
    static final String EMOJI_ID = "\uD83D\uDE00".repeat(200);
    static final String REPLACEMENT_ID = "id-\uFFFD";
    static final String STORM_ID = "p-warning-storm";
    /** The ids of {@link #hostileButReadable}. */
    static final List<String> HOSTILE_BUT_READABLE_IDS = List.of(EMOJI_ID, REPLACEMENT_ID, STORM_ID);

    private PoisonPills() {}

    /** Each pill by name, ids starting {@code p-}. */
    static Map<String, ProducerRecord<byte[], byte[]>> records(String topic) {
        Map<String, ProducerRecord<byte[], byte[]>> m = new LinkedHashMap<>();
        io.eenet.bench.poison.PoisonPills.values("p-").forEach((name, value) -> m.put(name, record(topic, value)));
        return m;
    }

    static Map<String, String> expectedReasons() {
        return io.eenet.bench.poison.PoisonPills.expectedReasons();
    }

    /**
     * Events to classify although they look hostile: two copies of {@code good}'s images with ids the old
     * validation refused, and a grey+alpha PNG of 15,000 empty PLTE chunks, 180 KB, on which the JDK's PNG reader
     * warns once per chunk when it reads the metadata (the conversion reads no metadata).
     */
    static List<ProducerRecord<byte[], byte[]>> hostileButReadable(String topic,
            List<ProducerRecord<byte[], byte[]>> good) throws Exception {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        String[] ids = {EMOJI_ID, REPLACEMENT_ID};
        for (int i = 0; i < ids.length; i++) {
            FrameEvent e = new EventCodec().decode(good.get(i).key(), good.get(i).value());
            out.add(record(topic, EventCodec.encode(new FrameEvent(STREAM, ids[i], 1_000 + i, e.eventTimeMs(),
                    e.encoding(), e.shape(), e.payload(), e.label()))));
        }
        out.add(record(topic, EventCodec.encode(new FrameEvent(STREAM, STORM_ID, 1_002, 1_700_000_000_000L,
                FrameEvent.PNG, new int[0], io.eenet.bench.poison.PoisonPills.warningStormPng(15_000), null))));
        return out;
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, byte[] value) {
        return new ProducerRecord<>(topic, io.eenet.bench.poison.PoisonPills.key(), value);
    }
}
