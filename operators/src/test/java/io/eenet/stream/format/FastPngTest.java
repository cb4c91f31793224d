package io.eenet.stream.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
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
}
