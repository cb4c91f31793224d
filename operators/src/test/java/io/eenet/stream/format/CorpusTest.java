package io.eenet.stream.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** Runs the malformed-input corpus (src/test/resources/corpus) through decoding and conversion. */
class CorpusTest {

    private final EventCodec codec = new EventCodec(CorpusGenerator.LIMITS);
    private final ImageConverter converter = new ImageConverter(TestImages.MNIST_INPUT, CorpusGenerator.LIMITS);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvFileSource(resources = "/corpus/index.csv", numLinesToSkip = 1)
    void entryGivesItsExpectedReason(String name, String expectedReason) {
        byte[] key = CorpusFiles.read(name + ".key");
        byte[] value = CorpusFiles.read(name + ".value");

        try {
            FrameEvent event = codec.decode(key, value);
            ImageConverter.checkLabel(event, TestImages.MNIST_CLASSES);
            assertThat(converter.toModelInput(event)).hasSize(28 * 28);
            assertThat(expectedReason).as("%s converted", name).isEqualTo(CorpusGenerator.OK);
        } catch (BadEventException e) {
            assertThat(e.reason().code()).as("%s: %s", name, e.getMessage()).isEqualTo(expectedReason);
        }
    }

    @Test
    void committedCorpusIsWhatTheGeneratorWrites() {
        assertThat(new String(CorpusFiles.read("index.csv"), StandardCharsets.UTF_8))
                .isEqualTo(CorpusGenerator.index());
        for (Map.Entry<String, CorpusGenerator.Entry> e : CorpusGenerator.entries().entrySet()) {
            assertThat(CorpusFiles.read(e.getKey() + ".key")).as("%s.key", e.getKey()).isEqualTo(e.getValue().key());
            // Values are compared by presence only: PNG and JPEG bytes depend on the JDK's zlib and libjpeg.
            assertThat(CorpusFiles.read(e.getKey() + ".value") != null).as("%s.value exists", e.getKey())
                    .isEqualTo(e.getValue().value() != null);
        }
    }

    @Test
    void corpusCoversEveryReasonOfTheFormat() {
        Set<String> covered = CorpusGenerator.entries().values().stream()
                .map(CorpusGenerator.Entry::expectedReason).collect(Collectors.toSet());
        Set<Reason> ofTheJob = EnumSet.of(Reason.DUPLICATE_EVENT, Reason.MODEL_UNAVAILABLE, Reason.INFERENCE_FAILED,
                Reason.UNEXPECTED_ERROR, Reason.NON_FINITE_OUTPUT);

        for (Reason r : EnumSet.complementOf(EnumSet.copyOf(ofTheJob))) {
            if (!covered.contains(r.code())) {
                fail("no corpus entry for %s", r.code());
            }
        }
    }
}
