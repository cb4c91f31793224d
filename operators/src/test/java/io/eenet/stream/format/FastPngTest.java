package io.eenet.stream.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The fast PNG decoder gives exactly javax.imageio's pixels, and declines what it does not take. */
class FastPngTest {

    @Test
    void matchesImageIoOnGreyRgbAndRgba() throws Exception {
        int[] types = {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR};
        for (int type : types) {
            for (int[] size : new int[][] {{28, 28}, {1, 1}, {57, 31}}) {
                byte[] png = TestImages.png(TestImages.noise(type, size[0], size[1], type * 31L + size[0]));
                FastPng.Pixels fast = FastPng.decode(png, 4096);
                BufferedImage reference = ImageIO.read(new ByteArrayInputStream(png));
                assertThat(fast).as("type %d, %dx%d", type, size[0], size[1]).isNotNull();
                assertThat(fast.width()).isEqualTo(size[0]);
                assertThat(fast.height()).isEqualTo(size[1]);
                for (int y = 0; y < fast.height(); y++) {
                    for (int x = 0; x < fast.width(); x++) {
                        int at = (y * fast.width() + x) * fast.channels();
                        if (fast.channels() == 1) {
                            assertThat(fast.data()[at] & 0xFF).isEqualTo(reference.getRaster().getSample(x, y, 0));
                        } else {
                            int rgb = reference.getRGB(x, y);
                            assertThat(fast.data()[at] & 0xFF).isEqualTo((rgb >> 16) & 0xFF);
                            assertThat(fast.data()[at + 1] & 0xFF).isEqualTo((rgb >> 8) & 0xFF);
                            assertThat(fast.data()[at + 2] & 0xFF).isEqualTo(rgb & 0xFF);
                        }
                    }
                }
            }
        }
    }

    @Test
    void declinesWhatItDoesNotDecode() throws Exception {
        BufferedImage indexed = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_BINARY); // 1-bit palette
        assertThat(FastPng.decode(TestImages.png(indexed), 4096)).isNull();
        BufferedImage grey16 = new BufferedImage(8, 8, BufferedImage.TYPE_USHORT_GRAY);
        assertThat(FastPng.decode(TestImages.png(grey16), 4096)).isNull();
        assertThat(FastPng.decode(TestImages.png(TestImages.noise(BufferedImage.TYPE_BYTE_GRAY, 40, 40, 1)), 32)).isNull();
    }

    @Test
    void undoesEveryFilterTypeOnEveryRow() throws Exception {
        Random random = new Random(7);
        for (int[] kind : new int[][] {{0, 1}, {2, 3}, {6, 4}}) { // colour type, bytes per pixel
            int colourType = kind[0];
            int bpp = kind[1];
            for (int filter = 0; filter <= 4; filter++) {
                int width = 9;
                int height = 5;
                byte[] pixels = new byte[width * height * bpp];
                random.nextBytes(pixels);
                byte[] png = png(width, height, colourType, bpp, pixels, filter);
                FastPng.Pixels fast = FastPng.decode(png, 4096);
                assertThat(fast).as("colour type %d, filter %d", colourType, filter).isNotNull();
                assertThat(fast.data()).as("colour type %d, filter %d", colourType, filter).isEqualTo(pixels);
                assertThat(ImageIO.read(new ByteArrayInputStream(png))).as("a PNG javax.imageio reads too").isNotNull();
            }
        }
        byte[] unknownFilter = png(4, 4, 0, 1, new byte[16], 5);
        assertThat(FastPng.decode(unknownFilter, 4096)).as("filter type 5 does not exist").isNull();
    }

    /** An 8-bit PNG whose every row uses {@code filter} (PNG spec, section 9), filtered here from the pixels. */
    private static byte[] png(int width, int height, int colourType, int bpp, byte[] pixels, int filter)
            throws Exception {
        int stride = width * bpp;
        byte[] raw = new byte[height * (stride + 1)];
        for (int y = 0; y < height; y++) {
            raw[y * (stride + 1)] = (byte) filter;
            for (int x = 0; x < stride; x++) {
                int a = x >= bpp ? pixels[y * stride + x - bpp] & 0xFF : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + x] & 0xFF : 0;
                int c = x >= bpp && y > 0 ? pixels[(y - 1) * stride + x - bpp] & 0xFF : 0;
                int predicted = switch (filter) {
                    case 1 -> a;
                    case 2 -> b;
                    case 3 -> (a + b) / 2;
                    case 4 -> {
                        int p = a + b - c;
                        int pa = Math.abs(p - a);
                        int pb = Math.abs(p - b);
                        int pc = Math.abs(p - c);
                        yield pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                    }
                    default -> 0;
                };
                raw[y * (stride + 1) + 1 + x] = (byte) (pixels[y * stride + x] - predicted);
            }
        }
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        byte[] buffer = new byte[raw.length + 64];
        byte[] idat = Arrays.copyOf(buffer, deflater.deflate(buffer));
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) colourType)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(out, "IDAT", idat);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(name);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
