package io.eenet.stream.infer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SeenIdsTest {

    private static final long WINDOW = 60_000;

    @Test
    void holdsEveryIdPutWithItsTimeThroughGrowth() {
        SeenIds ids = SeenIds.empty();
        for (int i = 0; i < 10_000; i++) {
            ids.put(SeenIds.hash("frame-" + i), i);
        }
        assertThat(ids.size).isEqualTo(10_000);
        assertThat(ids.hashes.length).isBetween(2 * 10_000, 4 * 10_000);
        for (int i = 0; i < 10_000; i++) {
            assertThat(ids.seenAt(SeenIds.hash("frame-" + i))).as("frame-%s", i).isEqualTo(i);
        }
        assertThat(ids.seenAt(SeenIds.hash("frame-10000"))).isEqualTo(Long.MIN_VALUE);
        ids.put(SeenIds.hash("frame-7"), 99_999);
        assertThat(ids.seenAt(SeenIds.hash("frame-7"))).isEqualTo(99_999);
        assertThat(ids.size).isEqualTo(10_000);
    }

    @Test
    void aSweepDropsExactlyTheIdsAsOldAsTheWindowAndShrinksTheTable() {
        SeenIds ids = SeenIds.empty();
        for (int i = 0; i < 8_000; i++) {
            ids.put(SeenIds.hash("old-" + i), 0);
        }
        for (int i = 0; i < 100; i++) {
            ids.put(SeenIds.hash("young-" + i), 1);
        }
        int grown = ids.hashes.length;
        assertThat(ids.sweep(WINDOW - 1, WINDOW)).isTrue();
        assertThat(ids.size).as("nothing is as old as the window yet").isEqualTo(8_100);

        assertThat(ids.sweep(WINDOW, WINDOW)).isTrue();
        assertThat(ids.size).isEqualTo(100);
        assertThat(ids.hashes.length).isLessThan(grown).isGreaterThanOrEqualTo(200);
        assertThat(ids.seenAt(SeenIds.hash("old-5"))).isEqualTo(Long.MIN_VALUE);
        assertThat(ids.seenAt(SeenIds.hash("young-5"))).isEqualTo(1);

        assertThat(ids.sweep(WINDOW + 1, WINDOW)).as("the last ids go").isFalse();
        assertThat(ids.size).isZero();
    }

    @Test
    void hashesOfDistinctIdsDifferAndAreNeverTheFreeSlotMarker() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            long h = SeenIds.hash("camera-" + (i % 7) + "/" + i);
            assertThat(h).isNotZero();
            seen.add(h);
        }
        assertThat(seen).hasSize(200_000);
        assertThat(SeenIds.hash("")).isNotZero();
        assertThat(SeenIds.hash("ab")).isNotEqualTo(SeenIds.hash("ba"));
    }

    @Test
    void flinkSerializesItAsAPojoOfArraysAndGetsItBack() throws Exception {
        TypeInformation<SeenIds> info = TypeInformation.of(SeenIds.class);
        assertThat(info).as("a POJO, not a generic type for Kryo").isInstanceOf(PojoTypeInfo.class);
        TypeSerializer<SeenIds> serializer = info.createSerializer(new SerializerConfigImpl());
        SeenIds ids = SeenIds.empty();
        for (int i = 0; i < 500; i++) {
            ids.put(SeenIds.hash("id-" + i), 1_000 + i);
        }
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(ids, out);
        SeenIds back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).usingRecursiveComparison().isEqualTo(ids);
        assertThat(back.seenAt(SeenIds.hash("id-42"))).isEqualTo(1_042);

        SeenIds copy = serializer.copy(ids);
        copy.put(SeenIds.hash("only-in-the-copy"), 5);
        assertThat(ids.seenAt(SeenIds.hash("only-in-the-copy"))).as("a copy shares no array").isEqualTo(Long.MIN_VALUE);
    }
}
