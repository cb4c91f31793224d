package io.eenet.bench.poison;

import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.FrameEvent;
import io.eenet.stream.format.ImageEncoding;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Single records that failed, stalled or mis-classified the job before issue 15, crafted as a hostile or buggy
 * producer would from docs/event-format.md: what {@code bench poison} interleaves with good events and what the
 * integration tests send. Each is a Kafka value (key: {@link #key()}); the job must make exactly one dead letter of
 * each, with the reason {@link #expectedReasons()} names.
 */
public final class PoisonPills {

    /** The stream (camera) every pill claims to come from. */
    public static final String STREAM = "cam-poison";
    /** The size of the large bad value: the topic and the producer must accept records of this size. */
    public static final int BIG_VALUE_BYTES = 1 << 20;
    /**
     * What the job's {@code event.max-payload-bytes}, the topic's {@code max.message.bytes} and the producer's
     * {@code max.request.size} must allow.
     */
    public static final int MAX_RECORD_BYTES = 2 << 20;

    private PoisonPills() {}

    /** The Kafka key of every pill. */
    public static byte[] key() {
        return EventCodec.encodeKey(STREAM);
    }

    /** The pills' names, in the order {@link #values} gives them. */
    public static final List<String> NAMES = List.of("72 bytes asking for 1.5 GB", "1 MiB bad value",
            "16-bit RGBA 4096x4096 png", "jpeg of many scans", "raw-float32 of +-FLT_MAX");

    /**
     * Each pill's Kafka value by name. Those with a readable id get {@code idPrefix} and a short name as their id
     * (the 72-byte record has none that decodes).
     *
     * @param idPrefix at most 30 characters
     */
    public static Map<String, byte[]> values(String idPrefix) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        NAMES.forEach(name -> m.put(name, value(name, idPrefix)));
        return m;
    }

    /**
     * The pill {@code name} of {@link #NAMES}, its id (where it has one that decodes) starting with {@code idPrefix}.
     *
     * @param idPrefix at most 30 characters
     */
    public static byte[] value(String name, String idPrefix) {
        if (idPrefix.length() > 30) {
            throw new IllegalArgumentException("an id prefix of at most 30 characters, not %s"
                    .formatted(idPrefix.length()));
        }
        return switch (name) {
            case "72 bytes asking for 1.5 GB" -> seventyTwoBytes();
            case "1 MiB bad value" -> bigValue(idPrefix);
            case "16-bit RGBA 4096x4096 png" -> EventCodec.encode(event(idPrefix + "png16", FrameEvent.PNG,
                    new int[0], Payloads.PNG16));
            case "jpeg of many scans" -> EventCodec.encode(event(idPrefix + "scans", FrameEvent.JPEG, new int[0],
                    Payloads.MANY_SCANS));
            case "raw-float32 of +-FLT_MAX" -> EventCodec.encode(event(idPrefix + "flt-max", FrameEvent.RAW_FLOAT32,
                    new int[] {28, 28, 1}, Payloads.EXTREME_FLOATS));
            default -> throw new IllegalArgumentException("no pill named '%s'; pills: %s".formatted(name, NAMES));
        };
    }

    /** A PNG event of 1 MiB of random bytes, exactly (its id padded to fit). */
    private static byte[] bigValue(String idPrefix) {
        byte[] garbage = new byte[BIG_VALUE_BYTES - 64 - idPrefix.length()];
        new Random(15).nextBytes(garbage);
        String bigId = idPrefix + "big";
        int unpadded = EventCodec.encode(event(bigId, FrameEvent.PNG, new int[0], garbage)).length;
        // The id padded so that the value is exactly 1 MiB (the id's length prefix stays one byte).
        byte[] big = EventCodec.encode(event(bigId + "x".repeat(BIG_VALUE_BYTES - unpadded), FrameEvent.PNG,
                new int[0], garbage));
        if (big.length != BIG_VALUE_BYTES) {
            throw new IllegalStateException("the 1 MiB value is %s bytes".formatted(big.length));
        }
        return big;
    }

    /** The dead-letter reason each pill of {@link #values} must get. */
    public static Map<String, String> expectedReasons() {
        return Map.of("72 bytes asking for 1.5 GB", "malformed-record",
                "1 MiB bad value", "undecodable-image",
                "16-bit RGBA 4096x4096 png", "image-too-large",
                "jpeg of many scans", "image-too-complex",
                "raw-float32 of +-FLT_MAX", "value-out-of-range");
    }

    /**
     * A 28x28 grey+alpha PNG with {@code chunks} empty PLTE chunks after its IHDR (12 bytes each): the JDK's PNG
     * reader warns once per chunk when it reads the metadata ("A PNG gray or gray alpha image cannot have a PLTE
     * chunk"). A readable image: the job classifies it.
     */
    public static byte[] warningStormPng(int chunks) {
        BufferedImage greyAlpha = new BufferedImage(new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
                true, false, Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE),
                Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 28, 28, 2, null), false, null);
        byte[] plain = ImageEncoding.png(greyAlpha);
        int afterIhdr = 8 + 4 + 4 + 13 + 4;
        byte[] type = "PLTE".getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(type);
        byte[] chunk = ByteBuffer.allocate(12).putInt(0).put(type).putInt((int) crc.getValue()).array();
        ByteBuffer storm = ByteBuffer.allocate(plain.length + chunk.length * chunks).put(plain, 0, afterIhdr);
        for (int i = 0; i < chunks; i++) {
            storm.put(chunk);
        }
        return storm.put(plain, afterIhdr, plain.length - afterIhdr).array();
    }

    /** The images that take a while to make (the 16-bit PNG: about a second), made once. */
    private static final class Payloads {
        static final byte[] PNG16 = png16(4096);
        static final byte[] MANY_SCANS = manyScans();
        static final byte[] EXTREME_FLOATS = extremeFloats();
    }

    /** A 28x28 raw-float32 frame of +FLT_MAX, one value -FLT_MAX. */
    private static byte[] extremeFloats() {
        float[] extreme = new float[28 * 28];
        Arrays.fill(extreme, Float.MAX_VALUE);
        extreme[3] = -Float.MAX_VALUE;
        ByteBuffer floats = ByteBuffer.allocate(extreme.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        floats.asFloatBuffer().put(extreme);
        return floats.array();
    }

    private static FrameEvent event(String id, String encoding, int[] shape, byte[] payload) {
        return new FrameEvent(STREAM, id, 0, 1_700_000_000_000L, encoding, shape, payload, null);
    }

    /**
     * An event whose array block makes Avro's skip and read disagree: the skip takes a 7-byte block size, the read
     * finds a payload length of 1.5 GB in 72 bytes.
     */
    private static byte[] seventyTwoBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(EventCodec.encode(event("x", FrameEvent.PNG, new int[0], new byte[0])), 0, 10);
        try {
            BinaryEncoder w = EncoderFactory.get().directBinaryEncoder(out, null);
            w.writeString("x".repeat(43));
            w.writeLong(0);
            w.writeLong(0);
            w.writeString("png");
            w.writeLong(-1);
            w.writeLong(7);
            w.writeInt(1);
            w.writeLong(0);
            w.writeInt(1_500_000_000);
            w.writeLong(0);
            w.writeBytes(new byte[0]);
            w.writeIndex(0);
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] png16(int side) {
        return ImageEncoding.png(new BufferedImage(new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_USHORT),
                Raster.createInterleavedRaster(DataBuffer.TYPE_USHORT, side, side, 4, null), false, null));
    }

    /** A progressive 56x56 JPEG with its last scan repeated 40 times: over the default limit of 32 scans. */
    private static byte[] manyScans() {
        return ImageEncoding.withLastScanRepeated(
                ImageEncoding.progressiveJpeg(new BufferedImage(56, 56, BufferedImage.TYPE_BYTE_GRAY)), 40);
    }
}
