package io.eenet.stream.format;

import static io.eenet.stream.format.TestImages.MNIST_INPUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.model.ModelManifest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * One definition of PNG: the converter with the fast decoder gives exactly the outcome of the converter that
 * sends every PNG to javax.imageio (the same model input, or the same reason), over the corpus and over
 * generated PNGs and mutations of them (chunks moved, split, added, header fields and image data changed, CRCs
 * kept valid so that the difference is not simply caught by the structure check).
 */
class PngDifferentialTest {

    private static final ModelManifest.InputSpec RGB_INPUT =
            new ModelManifest.InputSpec("image", List.of(28, 28, 3), "float32", "NHWC", 1.0 / 255, null, null);

    private record Chunk(String type, byte[] data) {}

    @Test
    void fastAndReferenceDecodersAgreeOnGeneratedAndMutatedPngs() {
        int[] types = {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR};
        int fastTook = 0;
        int cases = 0;
        for (ModelManifest.InputSpec input : List.of(MNIST_INPUT, RGB_INPUT)) {
            ImageConverter fast = new ImageConverter(input);
            ImageConverter reference = fast.withoutFastPng();
            for (int type : types) {
                for (int[] size : new int[][] {{28, 28}, {1, 1}, {57, 31}, {200, 3}}) {
                    byte[] png = TestImages.png(TestImages.noise(type, size[0], size[1], type * 131L + size[0]));
                    for (Map.Entry<String, byte[]> m : mutations(png, type * 7L + size[1]).entrySet()) {
                        String what = String.format("type %d, %dx%d, %s", type, size[0], size[1], m.getKey());
                        assertSameOutcome(fast, reference, m.getValue(), what);
                        cases++;
                        if (FastPng.decode(m.getValue(), 4096) != null) {
                            fastTook++;
                        }
                    }
                }
            }
        }
        assertThat(cases).isGreaterThan(300);
        assertThat(fastTook).as("the fast decoder took some, else this compares nothing").isGreaterThan(cases / 5);
    }

    @Test
    void fastAndReferenceDecodersAgreeOnTheCorpus() throws Exception {
        ImageConverter fast = new ImageConverter(MNIST_INPUT, CorpusGenerator.LIMITS);
        EventCodec codec = new EventCodec(CorpusGenerator.LIMITS);
        int pngs = 0;
        for (String line : new String(CorpusFiles.read("index.csv"), StandardCharsets.UTF_8).split("\n")) {
            String name = line.split(",")[0];
            byte[] value = CorpusFiles.read(name + ".value");
            byte[] key = CorpusFiles.read(name + ".key");
            if (name.equals("name") || value == null) {
                continue;
            }
            FrameEvent e;
            try {
                e = codec.decode(key, value);
            } catch (BadEventException notAnEvent) {
                continue;
            }
            if (e.encoding().equals(FrameEvent.PNG)) {
                assertSameOutcome(fast, fast.withoutFastPng(), e.payload(), name);
                pngs++;
            }
        }
        assertThat(pngs).isGreaterThanOrEqualTo(4);
    }

    private static void assertSameOutcome(ImageConverter fast, ImageConverter reference, byte[] png, String what) {
        FrameEvent e = TestImages.event(FrameEvent.PNG, new int[0], png, null);
        String a = outcome(fast, e);
        String b = outcome(reference, e);
        assertThat(a).as(what).isEqualTo(b);
    }

    /** The model input's bits, or the reason (messages differ between the paths only in wording). */
    private static String outcome(ImageConverter c, FrameEvent e) {
        try {
            float[] input = c.toModelInput(e);
            StringBuilder sb = new StringBuilder("ok ");
            for (float f : input) {
                sb.append(Integer.toHexString(Float.floatToIntBits(f))).append(' ');
            }
            return sb.toString();
        } catch (BadEventException x) {
            return x.reason().code();
        }
    }

    private static Map<String, byte[]> mutations(byte[] png, long seed) {
        Random random = new Random(seed);
        List<Chunk> chunks = chunks(png);
        int idat = indexOf(chunks, "IDAT");
        Chunk text = new Chunk("tEXt", "Comment\0hello".getBytes(StandardCharsets.ISO_8859_1));
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("as written", png);
        m.put("tEXt before IHDR", build(with(chunks, 0, text)));
        m.put("tEXt between IHDR and IDAT", build(with(chunks, 1, text)));
        m.put("IDAT split in two", build(splitIdat(chunks, idat, null)));
        m.put("IDAT split by tEXt", build(splitIdat(chunks, idat, text)));
        m.put("empty IDAT first", build(with(chunks, idat, new Chunk("IDAT", new byte[0]))));
        m.put("compression method 1", build(ihdr(chunks, d -> set(d, 10, 1))));
        m.put("filter method 1", build(ihdr(chunks, d -> set(d, 11, 1))));
        m.put("interlace 2", build(ihdr(chunks, d -> set(d, 12, 2))));
        m.put("bit depth 7", build(ihdr(chunks, d -> set(d, 8, 7))));
        m.put("colour type 5", build(ihdr(chunks, d -> set(d, 9, 5))));
        m.put("width + 1", build(ihdr(chunks, d -> ByteBuffer.wrap(d).putInt(0, ByteBuffer.wrap(d).getInt(0) + 1)
                .array())));
        m.put("height - 1", build(ihdr(chunks, d -> ByteBuffer.wrap(d).putInt(4, Math.max(1,
                ByteBuffer.wrap(d).getInt(4) - 1)).array())));
        m.put("width 0", build(ihdr(chunks, d -> ByteBuffer.wrap(d).putInt(0, 0).array())));
        m.put("IHDR of 14 bytes", build(ihdr(chunks, d -> java.util.Arrays.copyOf(d, 14))));
        m.put("tRNS", build(with(chunks, idat, new Chunk("tRNS", new byte[] {0, 0, 0, 0, 0, 0}))));
        m.put("PLTE", build(with(chunks, idat, new Chunk("PLTE", new byte[] {1, 2, 3}))));
        m.put("second IHDR", build(with(chunks, idat, chunks.get(0))));
        m.put("image data cut in half", build(idatData(chunks, idat, d -> java.util.Arrays.copyOf(d, d.length / 2))));
        m.put("image data with bytes after the zlib stream", build(idatData(chunks, idat, d -> {
            byte[] longer = java.util.Arrays.copyOf(d, d.length + 5);
            longer[d.length] = 1;
            return longer;
        })));
        m.put("zlib checksum wrong", build(idatData(chunks, idat, d -> set(d, d.length - 1, d[d.length - 1] ^ 1))));
        m.put("zlib header wrong", build(idatData(chunks, idat, d -> set(d, 0, 0x79))));
        for (int i = 0; i < 6; i++) {
            int flip = 2 + random.nextInt(Math.max(1, chunks.get(idat).data().length - 2));
            int bit = random.nextInt(8);
            m.put("image data bit " + flip + "." + bit, build(idatData(chunks, idat,
                    d -> set(d, Math.min(flip, d.length - 1), d[Math.min(flip, d.length - 1)] ^ (1 << bit)))));
        }
        byte[] badSignature = png.clone();
        badSignature[5] ^= 1;
        m.put("signature byte 5", badSignature);
        byte[] trailing = java.util.Arrays.copyOf(png, png.length + 3);
        m.put("bytes after IEND", trailing);
        return m;
    }

    private static List<Chunk> chunks(byte[] png) {
        List<Chunk> chunks = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(png, 8, png.length - 8);
        while (b.remaining() >= 12) {
            int length = b.getInt();
            byte[] type = new byte[4];
            b.get(type);
            byte[] data = new byte[length];
            b.get(data);
            b.getInt();
            chunks.add(new Chunk(new String(type, StandardCharsets.ISO_8859_1), data));
        }
        return chunks;
    }

    private static byte[] build(List<Chunk> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        for (Chunk c : chunks) {
            byte[] type = c.type().getBytes(StandardCharsets.ISO_8859_1);
            CRC32 crc = new CRC32();
            crc.update(type);
            crc.update(c.data());
            out.writeBytes(ByteBuffer.allocate(4).putInt(c.data().length).array());
            out.writeBytes(type);
            out.writeBytes(c.data());
            out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        }
        return out.toByteArray();
    }

    private static int indexOf(List<Chunk> chunks, String type) {
        for (int i = 0; i < chunks.size(); i++) {
            if (chunks.get(i).type().equals(type)) {
                return i;
            }
        }
        throw new AssertionError("no " + type);
    }

    private static List<Chunk> with(List<Chunk> chunks, int at, Chunk c) {
        List<Chunk> copy = new ArrayList<>(chunks);
        copy.add(at, c);
        return copy;
    }

    private static List<Chunk> splitIdat(List<Chunk> chunks, int idat, Chunk between) {
        byte[] d = chunks.get(idat).data();
        List<Chunk> copy = new ArrayList<>(chunks);
        copy.set(idat, new Chunk("IDAT", java.util.Arrays.copyOf(d, d.length / 2)));
        int at = idat + 1;
        if (between != null) {
            copy.add(at++, between);
        }
        copy.add(at, new Chunk("IDAT", java.util.Arrays.copyOfRange(d, d.length / 2, d.length)));
        return copy;
    }

    private static List<Chunk> ihdr(List<Chunk> chunks, UnaryOperator<byte[]> change) {
        List<Chunk> copy = new ArrayList<>(chunks);
        copy.set(0, new Chunk("IHDR", change.apply(chunks.get(0).data().clone())));
        return copy;
    }

    private static List<Chunk> idatData(List<Chunk> chunks, int idat, UnaryOperator<byte[]> change) {
        List<Chunk> copy = new ArrayList<>(chunks);
        copy.set(idat, new Chunk("IDAT", change.apply(chunks.get(idat).data().clone())));
        return copy;
    }

    private static byte[] set(byte[] d, int at, int value) {
        d[at] = (byte) value;
        return d;
    }
}
