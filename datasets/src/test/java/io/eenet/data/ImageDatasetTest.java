package io.eenet.data;

import static io.eenet.data.IdxFiles.counting;
import static io.eenet.data.IdxFiles.gzip;
import static io.eenet.data.IdxFiles.idx;
import static io.eenet.data.IdxFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDatasetTest {

    @TempDir
    Path dir;

    /** Three 2x2 RGB images whose pixel bytes count up from 0. */
    private static ImageDataset threeRgbImages() {
        return ImageDataset.of("rgb", 2, 2, 3, counting(36), new int[] {4, 0, 2});
    }

    @Test
    void ofKeepsShapeAndLabels() {
        ImageDataset data = threeRgbImages();

        assertThat(data.name()).isEqualTo("rgb");
        assertThat(data.size()).isEqualTo(3);
        assertThat(data.height()).isEqualTo(2);
        assertThat(data.width()).isEqualTo(2);
        assertThat(data.channels()).isEqualTo(3);
        assertThat(data.imageSize()).isEqualTo(12);
        assertThat(data.labels()).containsExactly(4, 0, 2);
        assertThat(data.label(2)).isEqualTo(2);
        assertThat(data.numClasses()).isEqualTo(5);
        assertThat(data.imageBytes(1)).isEqualTo(Arrays.copyOfRange(counting(36), 12, 24));
    }

    @Test
    void ofCopiesItsInputAndHandsOutCopies() {
        byte[] pixels = counting(36);
        int[] labels = {4, 0, 2};
        ImageDataset data = ImageDataset.of("rgb", 2, 2, 3, pixels, labels);

        pixels[0] = 99;
        labels[0] = 9;
        data.labels()[1] = 9;
        data.imageBytes(0)[0] = 99;

        assertThat(data.imageBytes(0)[0]).isEqualTo((byte) 0);
        assertThat(data.labels()).containsExactly(4, 0, 2);
    }

    @Test
    void ofRejectsInconsistentArrays() {
        assertThatThrownBy(() -> ImageDataset.of("x", 2, 2, 3, new byte[35], new int[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("3 labels of 2x2x3 images need 36 pixel bytes, got 35");
        assertThatThrownBy(() -> ImageDataset.of("x", 0, 2, 3, new byte[0], new int[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("h=0");
        assertThatThrownBy(() -> ImageDataset.of("x", 1, 1, 1, new byte[2], new int[] {1, -1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("label 1 is negative: -1");
    }

    @Test
    void copiesImageAsScaledFloatsAtOffset() {
        byte[] pixels = {0, (byte) 255, (byte) 128, 51};
        ImageDataset data = ImageDataset.of("grey", 2, 2, 1, pixels, new int[] {0});
        float[] dst = new float[6];

        data.copyImageAsFloats(0, dst, 1);

        assertThat(dst).containsExactly(0f, 0f, 1f, 128 / 255f, 0.2f, 0f);
        assertThatThrownBy(() -> data.copyImageAsFloats(0, dst, 3))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> data.copyImageAsFloats(1, dst, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void subsetSharesPixelsAndKeepsClassCount() {
        ImageDataset subset = threeRgbImages().subset(1, 3);

        assertThat(subset.size()).isEqualTo(2);
        assertThat(subset.labels()).containsExactly(0, 2);
        assertThat(subset.numClasses()).isEqualTo(5);
        assertThat(subset.imageBytes(0)).isEqualTo(threeRgbImages().imageBytes(1));
        assertThat(subset.subset(1, 2).label(0)).isEqualTo(2);
        assertThat(subset.subset(2, 2).size()).isZero();
        assertThatThrownBy(() -> subset.label(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> subset.subset(0, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void fromIdxReadsGreyImagesAsOneChannel() throws Exception {
        Path images = write(dir, "images", idx(new int[] {2, 3, 4}, counting(24)));
        Path labels = write(dir, "labels.gz", gzip(idx(new int[] {2}, new byte[] {3, (byte) 200})));

        ImageDataset data = ImageDataset.fromIdx("tiny", images, labels);

        assertThat(data.size()).isEqualTo(2);
        assertThat(data.height()).isEqualTo(3);
        assertThat(data.width()).isEqualTo(4);
        assertThat(data.channels()).isEqualTo(1);
        assertThat(data.labels()).containsExactly(3, 200); // unsigned
        assertThat(data.numClasses()).isEqualTo(201);
        assertThat(data.imageBytes(1)).isEqualTo(Arrays.copyOfRange(counting(24), 12, 24));
    }

    @Test
    void fromIdxReadsFourDimensionalImagesAsHwc() throws Exception {
        Path images = write(dir, "images", idx(new int[] {1, 2, 2, 3}, counting(12)));
        Path labels = write(dir, "labels", idx(new int[] {1}, new byte[] {1}));

        ImageDataset data = ImageDataset.fromIdx("rgb", images, labels);

        assertThat(data.channels()).isEqualTo(3);
        assertThat(data.imageBytes(0)).isEqualTo(counting(12));
    }

    @Test
    void fromIdxRejectsCountMismatchNamingBothFiles() throws Exception {
        Path images = write(dir, "images", idx(new int[] {3, 2, 2}, counting(12)));
        Path labels = write(dir, "labels", idx(new int[] {2}, new byte[] {0, 1}));

        assertThatThrownBy(() -> ImageDataset.fromIdx("bad", images, labels))
                .isInstanceOf(IdxFormatException.class)
                .hasMessage(labels + ": holds 2 labels but " + images + " holds 3 images");
    }

    @Test
    void fromIdxRejectsWrongRanks() throws Exception {
        Path flat = write(dir, "flat", idx(new int[] {3, 4}, counting(12)));
        Path labels = write(dir, "labels", idx(new int[] {3}, new byte[3]));
        Path images = write(dir, "images", idx(new int[] {3, 2, 2}, counting(12)));

        assertThatThrownBy(() -> ImageDataset.fromIdx("bad", flat, labels))
                .isInstanceOf(IdxFormatException.class)
                .hasMessage(flat + ": images must be idx3 [n,h,w] or idx4 [n,h,w,c],"
                        + " got 2 dimensions (3x4)");
        assertThatThrownBy(() -> ImageDataset.fromIdx("bad", images, images))
                .isInstanceOf(IdxFormatException.class)
                .hasMessage(images + ": labels must be idx1 [n], got 3 dimensions (3x2x2)");
    }
}
