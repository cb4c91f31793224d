package io.eenet.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's reading of {@code ./eenet bench engine}'s file: what it exports, per role, and who wins. */
class LauncherEngineSettingsTest {

    static final Path LAUNCHER = Path.of("..", "eenet").toAbsolutePath().normalize();

    static final String MEASURED = """
            # Written by ./eenet bench engine (a test's)
            TF_ENABLE_ONEDNN_OPTS=1
            TF_NUM_INTRAOP_THREADS=0
            EENET_EARLY_TF_ENABLE_ONEDNN_OPTS=1
            EENET_EARLY_TF_NUM_INTRAOP_THREADS=0
            EENET_HEAVY_TF_ENABLE_ONEDNN_OPTS=0
            EENET_HEAVY_TF_NUM_INTRAOP_THREADS=0
            EENET_LOCAL_TF_ENABLE_ONEDNN_OPTS=1
            EENET_LOCAL_TF_NUM_INTRAOP_THREADS=1
            EENET_LOCAL_TF_NUM_INTRAOP_THREADS=$(echo 7)
            TF_NUM_INTRAOP_THREADS=7 # not a line the launcher takes
            """;

    @Test
    void withoutAMeasurementTensorFlowsDefaultsApply(@TempDir Path home) throws Exception {
        Map<String, String> env = engineEnv(home, Map.of(), "local");
        assertThat(env.get("TF_ENABLE_ONEDNN_OPTS")).isEmpty();
        assertThat(env.get("TF_NUM_INTRAOP_THREADS")).isEmpty();
        assertThat(env.get("ENGINE_FILE")).startsWith(home.resolve("engine").toString()).endsWith(".env");
    }

    @Test
    void eachRoleGetsWhatWasMeasuredForIt(@TempDir Path home) throws Exception {
        write(home);
        Map<String, String> process = engineEnv(home, Map.of(), "");
        assertThat(process.get("TF_ENABLE_ONEDNN_OPTS")).isEqualTo("1");
        assertThat(process.get("TF_NUM_INTRAOP_THREADS")).isEmpty(); // 0: TensorFlow's default, left unset
        assertThat(process.get("EENET_HEAVY_TF_ENABLE_ONEDNN_OPTS")).isEqualTo("0");
        Map<String, String> local = engineEnv(home, Map.of(), "local");
        assertThat(local.get("TF_ENABLE_ONEDNN_OPTS")).isEqualTo("1");
        assertThat(local.get("TF_NUM_INTRAOP_THREADS")).isEqualTo("1"); // the lines after it are not taken
    }

    @Test
    void settingsInTheEnvironmentWin(@TempDir Path home) throws Exception {
        write(home);
        Map<String, String> local = engineEnv(home, Map.of("TF_ENABLE_ONEDNN_OPTS", "0", "TF_NUM_INTRAOP_THREADS", "2",
                "EENET_HEAVY_TF_ENABLE_ONEDNN_OPTS", "1"), "local");
        assertThat(local.get("TF_ENABLE_ONEDNN_OPTS")).isEqualTo("0");
        assertThat(local.get("TF_NUM_INTRAOP_THREADS")).isEqualTo("2");
        assertThat(local.get("EENET_HEAVY_TF_ENABLE_ONEDNN_OPTS")).isEqualTo("1");
        assertThat(local.get("EENET_EARLY_TF_ENABLE_ONEDNN_OPTS")).isEqualTo("1");
    }

    private static void write(Path home) throws Exception {
        Path file = Path.of(engineEnv(home, Map.of(), "").get("ENGINE_FILE"));
        Files.createDirectories(file.getParent());
        Files.writeString(file, MEASURED, StandardCharsets.UTF_8);
    }

    /** Runs {@code ./eenet engine-env [role]} with {@code EENET_HOME=home} and only {@code extra} of the settings. */
    private static Map<String, String> engineEnv(Path home, Map<String, String> extra, String role)
            throws IOException, InterruptedException {
        ProcessBuilder pb = role.isEmpty() ? new ProcessBuilder("bash", LAUNCHER.toString(), "engine-env")
                : new ProcessBuilder("bash", LAUNCHER.toString(), "engine-env", role);
        pb.environment().keySet().removeIf(k -> k.startsWith("TF_") || k.startsWith("EENET_"));
        pb.environment().put("EENET_HOME", home.toString());
        pb.environment().putAll(extra);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Map<String, String> values = new LinkedHashMap<>();
        out.lines().filter(l -> l.contains("=")).forEach(l -> values.put(l.substring(0, l.indexOf('=')),
                l.substring(l.indexOf('=') + 1)));
        return values;
    }
}
