package io.eenet.stream.format;

import static io.eenet.stream.format.BadEventAssert.assertBad;
import static io.eenet.stream.format.TestImages.MNIST_INPUT;
import static io.eenet.stream.format.TestImages.event;
import static io.eenet.stream.format.TestImages.pngEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.eenet.model.ModelManifest;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageConverterTest {

    private final ImageConverter converter = new ImageConverter(MNIST_INPUT);

    @Test
    void greyPngOfTheModelSizeConvertsExactlyLikeTheTrainingData() throws Exception {
        BufferedImage image = TestImages.mnistLike();

        float[] input = converter.toModelInput(pngEvent(image));

        assertThat(input).hasSize(28 * 28);
        for (int i = 0; i < input.length; i++) {
            int pixel = image.getRaster().getSample(i % 28, i / 28, 0);
            // ImageDataset.toFloats, which training reads, computes pixel / 255f.
            assertThat(input[i]).as("value %d", i).isEqualTo(pixel / 255f);
        }
    }

    @Test
    void whiteRgbPngOfAnotherSizeConvertsToOnes() throws Exception {
        float[] input = converter.toModelInput(pngEvent(TestImages.filled(56, 56, 0xFFFFFF)));

        assertThat(input).hasSize(28 * 28);
        for (float v : input) {
            assertThat(v).isCloseTo(1f, within(1e-6f));
        }
    }

    @Test
    void downscaledRgbPngKeepsItsBlackAndWhiteHalves() throws Exception {
        float[] input = converter.toModelInput(pngEvent(TestImages.halfBlackHalfWhite(56, 56)));

        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                assertThat(input[y * 28 + x]).as("(%d, %d)", y, x).isCloseTo(x < 14 ? 0f : 1f, within(1e-6f));
            }
        }
    }

    @Test
    void colourIsTakenAsLumaByAOneChannelModel() throws Exception {
        float[] input = converter.toModelInput(pngEvent(TestImages.filled(28, 28, 0xFF0000)));

        assertThat(input[0]).isCloseTo((float) (0.299 * 255 / 255), within(1e-6f));
    }

    @Test
    void upscaledImageBlendsNeighbours() throws Exception {
        float[] input = converter.toModelInput(pngEvent(TestImages.halfBlackHalfWhite(7, 7)));

        // Source column 3 is white (7 / 2 = 3); output columns 12..15 cover it, column 11 is still black.
        assertThat(input[11]).isZero();
        assertThat(input[12]).isCloseTo(1f, within(1e-6f));
        assertThat(input[27]).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void jpegConvertsWithJpegLoss() throws Exception {
        byte[] jpeg = TestImages.jpeg(TestImages.halfBlackHalfWhite(64, 48));

        float[] input = converter.toModelInput(event(FrameEvent.JPEG, new int[0], jpeg, null));

        assertThat(input).hasSize(28 * 28);
        assertThat(input[14 * 28 + 2]).isCloseTo(0f, within(0.05f));
        assertThat(input[14 * 28 + 25]).isCloseTo(1f, within(0.05f));
    }

    @Test
    void threeChannelModelReplicatesGreyAndKeepsRgb() throws Exception {
        ImageConverter rgb = new ImageConverter(new ModelManifest.InputSpec("image", List.of(28, 28, 3), "float32",
                "NHWC", 1.0 / 255, List.of(0.5, 0.5, 0.5), List.of(0.5, 0.5, 0.5)));

        float[] grey = rgb.toModelInput(pngEvent(TestImages.mnistLike()));
        float[] colour = rgb.toModelInput(pngEvent(TestImages.filled(30, 30, 0x336699)));

        assertThat(grey).hasSize(28 * 28 * 3);
        assertThat(grey[3 * 5]).isEqualTo(grey[3 * 5 + 1]).isEqualTo(grey[3 * 5 + 2]).isEqualTo(
                TestImages.mnistLike().getRaster().getSample(5, 0, 0) / 255f);
        assertThat(Arrays.copyOf(colour, 3)).containsExactly(0x33 / 255f, 0x66 / 255f, 0x99 / 255f);
    }

    @Test
    void greyWithAlphaIsTakenAsGrey() throws Exception {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(3, 0, 0x10808080);

        float[] input = converter.toModelInput(pngEvent(image));

        assertThat(input[3]).isEqualTo(0x80 / 255f);
        assertThat(input[4]).isZero();
    }

    @Test
    void sixteenBitGreyIsScaledToTheByteRange() throws Exception {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSample(1, 0, 0, 65535);

        float[] input = converter.toModelInput(pngEvent(image));

        assertThat(input[0]).isZero();
        assertThat(input[1]).isEqualTo(1f);
    }

    /** The same image as a PNG and as a JPEG, by encoding. */
    static Stream<Arguments> encodedImages() {
        BufferedImage image = TestImages.halfBlackHalfWhite(40, 40);
        return Stream.of(Arguments.of(FrameEvent.PNG, TestImages.png(image)),
                Arguments.of(FrameEvent.JPEG, TestImages.jpeg(image)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encodedImages")
    void anImageCutAnywhereIsUndecodable(String encoding, byte[] image) {
        for (int length = 1; length < image.length; length++) {
            byte[] cut = Arrays.copyOf(image, length);
            assertBad(() -> converter.toModelInput(event(encoding, new int[0], cut, null)),
                    Reason.UNDECODABLE_IMAGE, encoding);
        }
    }

    @Test
    void pngWithACorruptChunkIsUndecodable() {
        byte[] png = TestImages.png(TestImages.mnistLike());
        png[png.length - 20] ^= 1;

        assertBad(() -> converter.toModelInput(event(FrameEvent.PNG, new int[0], png, null)),
                Reason.UNDECODABLE_IMAGE, "\"IDAT\"", "CRC");
    }

    @Test
    void bytesThatAreNoImageAreUndecodable() {
        assertBad(() -> converter.toModelInput(event(FrameEvent.PNG, new int[0], "hello".getBytes(), null)),
                Reason.UNDECODABLE_IMAGE, "not a readable png image");
    }

    @Test
    void jpegSentAsPngIsUndecodable() {
        byte[] jpeg = TestImages.jpeg(TestImages.mnistLike());

        assertBad(() -> converter.toModelInput(event(FrameEvent.PNG, new int[0], jpeg, null)),
                Reason.UNDECODABLE_IMAGE, "png");
    }

    @Test
    void decompressionBombIsRejectedFromItsHeader() {
        byte[] bomb = TestImages.pngHeader(100_000, 100_000);

        assertBad(() -> converter.toModelInput(event(FrameEvent.PNG, new int[0], bomb, null)),
                Reason.IMAGE_TOO_LARGE, "100000x100000", "4096");
        assertThat(Allocation.bytesAllocatedBy(() -> converter.toModelInput(event(FrameEvent.PNG, new int[0], bomb,
                null)))).isLessThan(1 << 20);
    }

    @Test
    void imageLimitIsConfigurable() {
        ImageConverter small = new ImageConverter(MNIST_INPUT, new EventLimits(1 << 20, 64, 27, 64));

        assertBad(() -> small.toModelInput(pngEvent(TestImages.mnistLike())), Reason.IMAGE_TOO_LARGE, "28x28", "27");
    }

    @Test
    void imagesCannotFeedAModelOfTwoChannels() {
        ImageConverter twoChannels = new ImageConverter(new ModelManifest.InputSpec("image", List.of(28, 28, 2),
                "float32", "NHWC", 1.0 / 255, List.of(0.0, 0.0), List.of(1.0, 1.0)));

        assertBad(() -> twoChannels.toModelInput(pngEvent(TestImages.mnistLike())), Reason.UNSUPPORTED_CHANNELS,
                "2 channels");
    }

    @Test
    void rawUint8IsScaled() throws Exception {
        byte[] payload = new byte[28 * 28];
        payload[5] = (byte) 255;
        payload[6] = (byte) 128;

        float[] input = converter.toModelInput(event(FrameEvent.RAW_UINT8, new int[] {28, 28, 1}, payload, null));

        assertThat(input).hasSize(28 * 28);
        assertThat(input[5]).isEqualTo(1f);
        assertThat(input[6]).isEqualTo(128 / 255f);
        assertThat(input[7]).isZero();
    }

    @Test
    void rawFloat32IsTakenAsItIs() throws Exception {
        float[] values = new float[28 * 28];
        values[3] = 0.25f;
        values[4] = 0.7f;

        float[] input = converter.toModelInput(
                event(FrameEvent.RAW_FLOAT32, new int[] {28, 28, 1}, TestImages.floats(values), null));

        assertThat(input).containsExactly(values);
    }

    @Test
    void rawShapeMustHaveThreePositiveSides() {
        assertBad(() -> converter.toModelInput(event(FrameEvent.RAW_UINT8, new int[] {784}, new byte[784], null)),
                Reason.SHAPE_MISMATCH, "[784]", "[28, 28, 1]");
        assertBad(() -> converter.toModelInput(event(FrameEvent.RAW_UINT8, new int[] {28, 0, 1}, new byte[0], null)),
                Reason.SHAPE_MISMATCH, "positive");
    }

    @Test
    void rawShapeOfAnotherSizeIsAMismatch() {
        assertBad(() -> converter.toModelInput(
                event(FrameEvent.RAW_UINT8, new int[] {32, 32, 1}, new byte[32 * 32], null)),
                Reason.SHAPE_MISMATCH, "32x32", "28x28");
    }

    @Test
    void rawChannelsMustBeTheModels() {
        assertBad(() -> converter.toModelInput(
                event(FrameEvent.RAW_UINT8, new int[] {28, 28, 3}, new byte[28 * 28 * 3], null)),
                Reason.UNSUPPORTED_CHANNELS, "3 channels", "takes 1");
    }

    @Test
    void rawPayloadMustMatchItsShape() {
        assertBad(() -> converter.toModelInput(event(FrameEvent.RAW_UINT8, new int[] {28, 28, 1}, new byte[700],
                null)), Reason.PAYLOAD_SIZE_MISMATCH, "700 bytes", "784");
        assertBad(() -> converter.toModelInput(event(FrameEvent.RAW_FLOAT32, new int[] {28, 28, 1}, new byte[784],
                null)), Reason.PAYLOAD_SIZE_MISMATCH, "784 bytes", "3136");
    }

    @Test
    void nonFiniteFloatIsRejectedWithItsPosition() {
        float[] values = new float[28 * 28];
        values[28 + 2] = Float.NaN;
        assertBad(() -> converter.toModelInput(
                event(FrameEvent.RAW_FLOAT32, new int[] {28, 28, 1}, TestImages.floats(values), null)),
                Reason.NON_FINITE_VALUE, "row 1, column 2", "NaN");

        values[28 + 2] = Float.NEGATIVE_INFINITY;
        assertBad(() -> converter.toModelInput(
                event(FrameEvent.RAW_FLOAT32, new int[] {28, 28, 1}, TestImages.floats(values), null)),
                Reason.NON_FINITE_VALUE, "-Infinity");
    }

    @Test
    void unknownEncodingIsReportedEvenWithoutTheCodec() {
        assertBad(() -> converter.toModelInput(event("gif", new int[0], new byte[1], null)),
                Reason.UNKNOWN_ENCODING, "\"gif\"");
    }

    @Test
    void labelMustBeAClassOfTheModel() throws Exception {
        ImageConverter.checkLabel(event(FrameEvent.PNG, new int[0], new byte[0], null), 10);
        ImageConverter.checkLabel(event(FrameEvent.PNG, new int[0], new byte[0], 9), 10);

        assertBad(() -> ImageConverter.checkLabel(event(FrameEvent.PNG, new int[0], new byte[0], 10), 10),
                Reason.LABEL_OUT_OF_RANGE, "label 10", "0..9");
        assertBad(() -> ImageConverter.checkLabel(event(FrameEvent.PNG, new int[0], new byte[0], -1), 10),
                Reason.LABEL_OUT_OF_RANGE, "label -1");
    }

    @Test
    void aJpegOfMoreScansThanTheLimitIsTooComplexBeforeDecoding() throws Exception {
        byte[] progressive = TestImages.progressiveJpeg(TestImages.halfBlackHalfWhite(56, 56));
        int scans = JpegScans.count(progressive);
        assertThat(scans).isBetween(2, 32); // the encoder's standard script: a handful
        assertThat(JpegScans.count(TestImages.jpeg(TestImages.halfBlackHalfWhite(56, 56)))).isEqualTo(1);
        float[] input = converter.toModelInput(event(FrameEvent.JPEG, new int[0], progressive, null));
        assertThat(input[0]).isLessThan(0.1f); // the black half
        assertThat(input[27]).isGreaterThan(0.9f); // the white half

        byte[] manyScans = TestImages.withLastScanRepeated(progressive, 40);
        assertThat(JpegScans.count(manyScans)).isEqualTo(scans + 40);
        assertBad(() -> converter.toModelInput(event(FrameEvent.JPEG, new int[0], manyScans, null)),
                Reason.IMAGE_TOO_COMPLEX, (scans + 40) + " scans", "limit of 32");
    }

    @Test
    void scansAreCountedAcrossStuffedBytesAndRestartMarkers() {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, // SOI
            (byte) 0xFF, (byte) 0xDA, 0, 3, 9, // SOS, length 3
            1, (byte) 0xFF, 0, 2, (byte) 0xFF, (byte) 0xD0, 3, // data with FF00 and RST0
            (byte) 0xFF, (byte) 0xFF, (byte) 0xDA, 0, 2, // a fill byte, then the second SOS
            5, 6,
            (byte) 0xFF, (byte) 0xD9}; // EOI

        assertThat(JpegScans.count(jpeg)).isEqualTo(2);
    }

    @Test
    void thePixelCountIsCheckedFromTheHeaderBeforeDecoding() {
        ImageConverter limited = new ImageConverter(MNIST_INPUT, new EventLimits(4 << 20, 256, 4096, 256, 1_000_000,
                32, 2_000));

        assertBad(() -> limited.toModelInput(event(FrameEvent.PNG, new int[0], TestImages.pngHeader(1001, 1000),
                null)), Reason.IMAGE_TOO_LARGE, "1001x1000 = 1001000 pixels", "limit of 1000000");
        assertBad(() -> limited.toModelInput(event(FrameEvent.JPEG, new int[0],
                TestImages.jpeg(TestImages.filled(1001, 1000, 0x808080)), null)), Reason.IMAGE_TOO_LARGE,
                "1001000 pixels");
    }

    @Test
    void aLargeSixteenBitImageIsDecodedSubsampledTowardTheModelSize() throws Exception {
        int side = 1024;
        java.awt.image.BufferedImage rgba16 = new java.awt.image.BufferedImage(
                new java.awt.image.ComponentColorModel(java.awt.color.ColorSpace.getInstance(
                        java.awt.color.ColorSpace.CS_sRGB), true, false, java.awt.Transparency.TRANSLUCENT,
                        java.awt.image.DataBuffer.TYPE_USHORT),
                java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_USHORT, side, side, 4,
                        null), false, null);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                rgba16.getRaster().setPixel(x, y, new int[] {65535, 65535, 65535, 65535});
            }
        }
        byte[] png = TestImages.png(rgba16);
        FrameEvent e = event(FrameEvent.PNG, new int[0], png, null);
        assertThat(ImageConverter.subsampling(side, 28)).isEqualTo(9);

        float[] input = converter.toModelInput(e);

        assertThat(input).hasSize(28 * 28).containsOnly(1f);
        // Decoded whole, the raster alone would be 8 MiB (and its samples as doubles 8 MiB more).
        assertThat(Allocation.bytesAllocatedBy(() -> converter.toModelInput(e))).isLessThan(4L << 20);
    }

    @Test
    void aDecodeOverItsTimeBudgetIsStoppedAndTooComplex() {
        java.util.Random random = new java.util.Random(3);
        java.awt.image.BufferedImage noise = new java.awt.image.BufferedImage(1500, 1500,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        byte[] pixels = ((java.awt.image.DataBufferByte) noise.getRaster().getDataBuffer()).getData();
        random.nextBytes(pixels);
        byte[] png = TestImages.png(noise);
        ImageConverter hurried = new ImageConverter(MNIST_INPUT, new EventLimits(4 << 20, 256, 4096, 256, 8L << 20,
                32, 1));

        assertBad(() -> hurried.toModelInput(event(FrameEvent.PNG, new int[0], png, null)), Reason.IMAGE_TOO_COMPLEX,
                "budget of 1 ms", "stopped");
        assertBad(() -> hurried.toModelInput(event(FrameEvent.JPEG, new int[0], TestImages.jpeg(noise), null)),
                Reason.IMAGE_TOO_COMPLEX, "budget of 1 ms");
    }

    @Test
    void rawFloat32OutsideTheModelsInputRangeIsRejectedWithItsPosition() {
        float[] values = new float[28 * 28];
        values[30] = Float.MAX_VALUE;
        float[] negative = new float[28 * 28];
        negative[0] = -0.0001f;
        float[] edge = new float[28 * 28];
        edge[5] = 1f; // 255 * (1/255): the top of the range is in it

        assertBad(() -> converter.toModelInput(event(FrameEvent.RAW_FLOAT32, new int[] {28, 28, 1},
                TestImages.floats(values), null)), Reason.VALUE_OUT_OF_RANGE, "value 30 (row 1, column 2, channel 0)",
                "3.4028235E38", "[0, 1.0]");
        assertBad(() -> converter.toModelInput(event(FrameEvent.RAW_FLOAT32, new int[] {28, 28, 1},
                TestImages.floats(negative), null)), Reason.VALUE_OUT_OF_RANGE, "-1.0E-4");
        assertThat(catchBad(() -> converter.toModelInput(event(FrameEvent.RAW_FLOAT32, new int[] {28, 28, 1},
                TestImages.floats(edge), null)))).isNull();
    }

    private interface Conversion {
        void run() throws BadEventException;
    }

    private static BadEventException catchBad(Conversion c) {
        try {
            c.run();
            return null;
        } catch (BadEventException e) {
            return e;
        }
    }

    @Test
    void aStormOfDecoderWarningsMakesAShortMessage() {
        ImageConverter.Warnings warnings = new ImageConverter.Warnings();
        for (int i = 0; i < 100_000; i++) {
            warnings.add("Corrupt JPEG data: " + i + " extraneous bytes before marker 0xd9");
        }

        String message = warnings.toString();

        assertThat(warnings.count).isEqualTo(100_000);
        assertThat(message).hasSizeLessThan(400).startsWith("\"Corrupt JPEG data: 0 extraneous")
                .endsWith("(and 99997 more warnings)");
    }

    /**
     * Issue 15's warning storm: a grey+alpha PNG that makes the JDK's reader warn once per chunk (15,000 times) when
     * it reads the metadata. The conversion reads no metadata, so nothing warns: the image is what its pixels are,
     * as without the chunks.
     */
    @Test
    void aPngThatWouldMakeTheDecoderWarnFifteenThousandTimesConvertsAsItsPixels() throws Exception {
        byte[] storm = TestImages.warningStormPng(15_000);
        byte[] plain = TestImages.warningStormPng(0);

        float[] input = converter.toModelInput(event(FrameEvent.PNG, new int[0], storm, null));

        assertThat(storm.length).isGreaterThan(180_000);
        assertThat(input).containsExactly(converter.toModelInput(event(FrameEvent.PNG, new int[0], plain, null)));
    }
}
