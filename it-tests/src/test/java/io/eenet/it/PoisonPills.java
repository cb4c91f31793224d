package io.eenet.it;

import io.eenet.stream.format.EventCodec;
import io.eenet.stream.format.FrameEvent;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The single records of issue 15 that failed, stalled or mis-classified the job, crafted as a hostile producer would. */
final class PoisonPills {

    static final String STREAM = "cam-p";
    static final int BIG_VALUE_BYTES = 1 << 20;
    static final String EMOJI_ID = "\uD83D\uDE00".repeat(200);
    static final String REPLACEMENT_ID = "id-\uFFFD";

    private PoisonPills() {}

    /** Each pill by name. */
    static Map<String, ProducerRecord<byte[], byte[]>> records(String topic) {
        Map<String, ProducerRecord<byte[], byte[]>> m = new LinkedHashMap<>();
        m.put("72 bytes asking for 1.5 GB", record(topic, seventyTwoBytes()));
        byte[] garbage = new byte[BIG_VALUE_BYTES - 64];
        new Random(15).nextBytes(garbage);
        int unpadded = EventCodec.encode(event("p-big", FrameEvent.PNG, new int[0], garbage)).length;
        // The id padded so that the value is exactly 1 MiB (the id's length prefix stays one byte).
        byte[] big = EventCodec.encode(event("p-big" + "x".repeat(BIG_VALUE_BYTES - unpadded), FrameEvent.PNG,
                new int[0], garbage));
        if (big.length != BIG_VALUE_BYTES) {
            throw new IllegalStateException("the 1 MiB value is " + big.length + " bytes");
        }
        m.put("1 MiB bad value", record(topic, big));
        m.put("16-bit RGBA 4096x4096 png", record(topic, EventCodec.encode(event("p-png16", FrameEvent.PNG,
                new int[0], png16(4096)))));
        m.put("jpeg of many scans", record(topic, EventCodec.encode(event("p-scans", FrameEvent.JPEG, new int[0],
                manyScans()))));
        float[] extreme = new float[28 * 28];
        Arrays.fill(extreme, Float.MAX_VALUE);
        extreme[3] = -Float.MAX_VALUE;
        ByteBuffer floats = ByteBuffer.allocate(extreme.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        floats.asFloatBuffer().put(extreme);
        m.put("raw-float32 of +-FLT_MAX", record(topic, EventCodec.encode(event("p-flt-max", FrameEvent.RAW_FLOAT32,
                new int[] {28, 28, 1}, floats.array()))));
        return m;
    }

    static Map<String, String> expectedReasons() {
        return Map.of("72 bytes asking for 1.5 GB", "malformed-record",
                "1 MiB bad value", "undecodable-image",
                "16-bit RGBA 4096x4096 png", "image-too-large",
                "jpeg of many scans", "image-too-complex",
                "raw-float32 of +-FLT_MAX", "value-out-of-range");
    }

    /** Two good events (copies of {@code good}'s images) with ids the old validation refused. */
    static List<ProducerRecord<byte[], byte[]>> goodEventsWithUnusualIds(String topic,
            List<ProducerRecord<byte[], byte[]>> good) throws Exception {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        String[] ids = {EMOJI_ID, REPLACEMENT_ID};
        for (int i = 0; i < ids.length; i++) {
            FrameEvent e = new EventCodec().decode(good.get(i).key(), good.get(i).value());
            out.add(record(topic, EventCodec.encode(new FrameEvent(STREAM, ids[i], 1_000 + i, e.eventTimeMs(),
                    e.encoding(), e.shape(), e.payload(), e.label()))));
        }
        return out;
    }

    private static FrameEvent event(String id, String encoding, int[] shape, byte[] payload) {
        return new FrameEvent(STREAM, id, 0, 1_700_000_000_000L, encoding, shape, payload, null);
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, byte[] value) {
        return new ProducerRecord<>(topic, EventCodec.encodeKey(STREAM), value);
    }

    /** As EventCodecTest's: Avro's skip takes the 7-byte block size, its read finds a 1.5 GB payload length. */
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
        BufferedImage rgba16 = new BufferedImage(new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
                true, false, Transparency.TRANSLUCENT, DataBuffer.TYPE_USHORT),
                Raster.createInterleavedRaster(DataBuffer.TYPE_USHORT, side, side, 4, null), false, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(rgba16, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A progressive 56x56 JPEG with its last scan repeated 40 times: over the default limit of 32 scans. */
    private static byte[] manyScans() {
        BufferedImage grey = new BufferedImage(56, 56, BufferedImage.TYPE_BYTE_GRAY);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(grey, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = out.toByteArray();
        int lastSos = -1;
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xDA) {
                lastSos = i;
            }
        }
        ByteArrayOutputStream many = new ByteArrayOutputStream();
        many.write(jpeg, 0, jpeg.length - 2);
        for (int t = 0; t < 40; t++) {
            many.write(jpeg, lastSos, jpeg.length - 2 - lastSos);
        }
        many.write(jpeg, jpeg.length - 2, 2);
        return many.toByteArray();
    }
}
