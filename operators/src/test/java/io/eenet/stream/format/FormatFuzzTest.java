package io.eenet.stream.format;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzz tests of the event decoder and the image conversion (Jazzer), {@link FormatFuzzTargets}.
 * In a normal build they run their committed seed corpus
 * ({@code src/test/resources/io/eenet/stream/format/FormatFuzzTestInputs/<method>/}) as regression tests;
 * {@code ./eenet fuzz decode|convert --minutes M} fuzzes for real.
 */
class FormatFuzzTest {

    @FuzzTest
    void decode(byte[] value) {
        FormatFuzzTargets.decode(value);
    }

    @FuzzTest
    void convert(FuzzedDataProvider data) {
        FormatFuzzTargets.convert(data);
    }
}
