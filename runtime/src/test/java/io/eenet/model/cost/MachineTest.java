package io.eenet.model.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MachineTest {

    static final String XEON = """
            processor	: 0
            vendor_id	: GenuineIntel
            model name	: Intel(R) Xeon(R) Platinum 8488C
            flags		: fpu sse4_2 avx avx2 fma avx512f avx512bw avx512_vnni amx_tile amx_bf16

            processor	: 1
            model name	: Intel(R) Xeon(R) Platinum 8488C
            flags		: fpu sse4_2 avx avx2 fma avx512f avx512bw avx512_vnni amx_tile amx_bf16
            """;

    @Test
    void readsTheCpuModelAndTheVectorUnitsThatSelectKernels() {
        Machine m = Machine.of(XEON, 2, Map.of("TF_ENABLE_ONEDNN_OPTS", "1"));
        assertThat(m.cpu()).isEqualTo("Intel(R) Xeon(R) Platinum 8488C");
        assertThat(m.cores()).isEqualTo(2);
        assertThat(m.vectorUnits()).containsExactly("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw",
                "avx512_vnni", "amx_tile", "amx_bf16");
        assertThat(m.engine()).containsEntry("TF_ENABLE_ONEDNN_OPTS", "1").containsEntry("OMP_NUM_THREADS", "unset");
        assertThat(m.oneDnn()).isEqualTo("on");
        assertThat(m.describe()).contains("Platinum 8488C", "2 cores", "amx_tile", "oneDNN on");
        assertThat(m.describeHardware()).contains("Platinum 8488C", "2 cores", "amx_tile").doesNotContain("oneDNN");
    }

    @Test
    void theIdSeparatesEngineSettingsFlagsAndCoresAndIsAFileName() {
        Machine on = Machine.of(XEON, 2, Map.of("TF_ENABLE_ONEDNN_OPTS", "1"));
        Machine off = Machine.of(XEON, 2, Map.of("TF_ENABLE_ONEDNN_OPTS", "0"));
        Machine fourCores = Machine.of(XEON, 4, Map.of("TF_ENABLE_ONEDNN_OPTS", "1"));
        Machine noAmx = Machine.of(XEON.replace(" amx_tile amx_bf16", ""), 2, Map.of("TF_ENABLE_ONEDNN_OPTS", "1"));
        assertThat(on.id()).isEqualTo(Machine.of(XEON, 2, Map.of("TF_ENABLE_ONEDNN_OPTS", "1")).id())
                .isNotEqualTo(off.id()).isNotEqualTo(fourCores.id()).isNotEqualTo(noAmx.id())
                .matches("[a-z0-9-]+").startsWith("intel-r-xeon-r-platinum-8488c-2c-");
        assertThat(off.oneDnn()).isEqualTo("off");
        assertThat(Machine.of(XEON, 2, Map.of()).oneDnn()).isEqualTo("default");
    }

    @Test
    void whereTensorFlowRunsACallsOpsIsPartOfTheEngineSetting() {
        Machine caller = Machine.of(XEON, 2, Map.of(Machine.INTER_OP, "-1"));
        Machine pool = Machine.of(XEON, 2, Map.of(Machine.INTER_OP, "0"));
        assertThat(caller.id()).isNotEqualTo(pool.id()).isNotEqualTo(Machine.of(XEON, 2, Map.of()).id());
        assertThat(caller.describe()).endsWith("ops on the calling thread");
        assertThat(pool.describe()).endsWith("ops on TensorFlow's inter-op pool");
        assertThat(Machine.of(XEON, 2, Map.of()).describe()).doesNotContain("ops on");
    }

    @Test
    void aMachineWithoutCpuInfoIsNamedByItsArchitecture() {
        Machine m = Machine.of("", 1, Map.of());
        assertThat(m.cpu()).isEqualTo(System.getProperty("os.arch"));
        assertThat(m.vectorUnits()).isEmpty();
        assertThat(m.describe()).contains("no named vector units", "oneDNN default");
    }
}
