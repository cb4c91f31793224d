package io.eenet.stream.format;

import static io.eenet.stream.format.FuzzProperties.check;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.lang.management.ManagementFactory;

/**
 * The fuzz targets of the event format: what {@link FormatFuzzTest} runs over its seed corpus in every build, and
 * what {@code ./eenet fuzz} hands to Jazzer's driver ({@link Decode}, {@link Convert}: classes with the
 * {@code fuzzerTestOneInput} method it looks for).
 *
 * <p>Properties: no {@link Throwable} but {@link BadEventException} escapes (every input is an event or a
 * reason: anything else is a finding), and the heap one decode allocates stays under the bound the decoder
 * promises (a few times the value's size).
 */
public final class FormatFuzzTargets {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final byte[] KEY = EventCodec.encodeKey("camera-1");
    /**
     * One decode may allocate four times the value (the payload copied once; a string decoded to UTF-16 through a
     * char buffer) plus this much for the records, lists and exceptions.
     */
    private static final long DECODE_OVERHEAD = 64 << 10;
    private static final EventLimits LIMITS = new EventLimits(1 << 20, 256, 4096, 256, 1 << 20, 32, 500);
    private static final EventCodec CODEC = new EventCodec(LIMITS);
    private static final ImageConverter CONVERTER = new ImageConverter(TestImages.MNIST_INPUT, LIMITS);

    private FormatFuzzTargets() {}

    /**
     * Any value: an event or a reason, within the allocation bound. The value is decoded twice and the second
     * decode measured: the first may load and initialise classes (exception and formatting paths taken for the
     * first time), which is the JVM's allocation, not the decoder's.
     */
    static void decode(byte[] value) {
        decodeOnce(value);
        long thread = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(thread);
        decodeOnce(value);
        long allocated = THREADS.getThreadAllocatedBytes(thread) - before;
        check(allocated <= 4L * value.length + DECODE_OVERHEAD,
                String.format("decoding %d bytes allocated %d bytes", value.length, allocated));
    }

    private static void decodeOnce(byte[] value) {
        try {
            FrameEvent e = CODEC.decode(KEY, value);
            check(e.payload().length <= value.length, "a payload longer than the value");
        } catch (BadEventException bad) {
            check(bad.reason() != null && !bad.getMessage().isBlank(), "a reason without a message");
        }
    }

    /** Any payload of any encoding, as the early-exit operator converts it: model input in [0, 1], or a reason. */
    static void convert(FuzzedDataProvider data) {
        String encoding = data.pickValue(EventCodec.ENCODINGS);
        int[] shape = data.consumeBoolean() ? new int[] {28, 28, 1}
                : new int[] {data.consumeInt(-1, 64), data.consumeInt(-1, 64), data.consumeInt(-1, 4)};
        FrameEvent e = new FrameEvent("camera-1", "e", 0, 0, encoding, shape, data.consumeRemainingAsBytes(), null);
        try {
            float[] input = CONVERTER.toModelInput(e);
            check(input.length == 28 * 28, "model input of the wrong size");
            for (float f : input) {
                check(f >= 0 && f <= 1, String.format("model input value %s outside [0, 1]", f));
            }
        } catch (BadEventException bad) {
            check(bad.reason() != null, "a reason without a code");
        }
    }

    /** {@link #decode} for Jazzer's driver. */
    public static final class Decode {
        private Decode() {}

        public static void fuzzerTestOneInput(byte[] value) {
            decode(value);
        }
    }

    /** {@link #convert} for Jazzer's driver. */
    public static final class Convert {
        private Convert() {}

        public static void fuzzerTestOneInput(FuzzedDataProvider data) {
            convert(data);
        }
    }
}
