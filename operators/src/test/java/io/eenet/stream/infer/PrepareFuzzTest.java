package io.eenet.stream.infer;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * A coverage-guided fuzz test of the early-exit operator's preparation path (Jazzer), {@link PrepareFuzzTargets}.
 * In a normal build it runs its committed seed corpus
 * ({@code src/test/resources/io/eenet/stream/infer/PrepareFuzzTestInputs/prepare/}) as regression tests;
 * {@code ./eenet fuzz prepare --minutes M} fuzzes for real.
 */
class PrepareFuzzTest {

    @FuzzTest
    void prepare(byte[] value) {
        PrepareFuzzTargets.prepare(value);
    }
}
