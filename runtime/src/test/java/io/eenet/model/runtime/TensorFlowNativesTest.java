package io.eenet.model.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native setup, checked without loading anything native (and without touching this JVM's settings). */
class TensorFlowNativesTest {

    @TempDir
    Path tmp;

    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void configureCreatesTheMarkerAndGoesOffline() throws Exception {
        Properties props = new Properties();
        props.setProperty("java.io.tmpdir", tmp.resolve("t").toString());
        Optional<Path> dir = TensorFlowNatives.configure(props, name -> null, tmp.resolve("home"));

        Path natives = tmp.resolve("home/natives");
        assertThat(dir).contains(natives.toAbsolutePath());
        assertThat(natives.resolve(TensorFlowNatives.MARKER)).isEmptyFile();
        assertThat(props.getProperty(TensorFlowNatives.LIBRARY_PATH)).isEqualTo(natives.toAbsolutePath().toString());
        assertThat(props.getProperty(TensorFlowNatives.OFFLINE)).isEqualTo("true");
        assertThat(props.getProperty(TensorFlowNatives.OPT_OUT_TRACKING)).isEqualTo("true");
        assertThat(props.getProperty(TensorFlowNatives.JAVACPP_CACHE)).isEqualTo(tmp.resolve("home/javacpp").toString());
        assertThat(props.getProperty(TensorFlowNatives.CUDA_PROBE_LOG_LEVEL)).isEqualTo("error");
        assertThat(props.getProperty(TensorFlowNatives.INTER_OP_THREADS)).isEqualTo(TensorFlowNatives.CALLER_THREAD);
        assertThat(TensorFlowNatives.interOpThreads(props, name -> null)).isEqualTo("-1");
        // a second call (another JVM, another run) reuses the marker
        assertThat(TensorFlowNatives.configure(new Properties(), name -> null, tmp.resolve("home"))).isEqualTo(dir);
    }

    @Test
    void configureLeavesTheUsersSettingsAlone() {
        Properties props = new Properties();
        props.setProperty(TensorFlowNatives.JAVACPP_CACHE, "/somewhere");
        props.setProperty(TensorFlowNatives.CUDA_PROBE_LOG_LEVEL, "warn");
        Map<String, String> env = Map.of(TensorFlowNatives.LIBRARY_PATH, "/opt/tf");

        assertThat(TensorFlowNatives.configure(props, env::get, tmp.resolve("home"))).isEmpty();
        assertThat(props.getProperty(TensorFlowNatives.LIBRARY_PATH)).isNull();
        assertThat(props.getProperty(TensorFlowNatives.OFFLINE)).isNull();
        assertThat(props.getProperty(TensorFlowNatives.OPT_OUT_TRACKING)).isEqualTo("true");
        assertThat(props.getProperty(TensorFlowNatives.JAVACPP_CACHE)).isEqualTo("/somewhere");
        assertThat(props.getProperty(TensorFlowNatives.CUDA_PROBE_LOG_LEVEL)).isEqualTo("warn");
        assertThat(tmp.resolve("home")).doesNotExist();
    }

    @Test
    void theUsersInterOpSettingWins() {
        Properties given = new Properties();
        given.setProperty(TensorFlowNatives.INTER_OP_THREADS, "0");
        TensorFlowNatives.configure(given, name -> null, tmp.resolve("home"));
        assertThat(given.getProperty(TensorFlowNatives.INTER_OP_THREADS)).isEqualTo("0");
        assertThat(TensorFlowNatives.interOpThreads(given, name -> null)).isEqualTo("0");

        // TensorFlow's own variable sizes its pool: no caller-thread default then
        Properties pool = new Properties();
        Map<String, String> env = Map.of(TensorFlowNatives.INTER_OP_VARIABLE, "2");
        TensorFlowNatives.configure(pool, env::get, tmp.resolve("home"));
        assertThat(pool.getProperty(TensorFlowNatives.INTER_OP_THREADS)).isNull();
        assertThat(TensorFlowNatives.interOpThreads(pool, env::get)).isEqualTo("unset");
    }

    @Test
    void configureFallsBackToTheTempDirectoryWhenTheHomeIsNotWritable() throws Exception {
        Path home = Files.writeString(tmp.resolve("home-is-a-file"), "x");
        Properties props = new Properties();
        props.setProperty("java.io.tmpdir", tmp.resolve("t").toString());
        props.setProperty("user.name", "me");

        Optional<Path> dir = TensorFlowNatives.configure(props, name -> null, home);

        assertThat(dir).contains(tmp.resolve("t/eenet-natives-me").toAbsolutePath());
        assertThat(dir.get().resolve(TensorFlowNatives.MARKER)).isRegularFile();
    }

    @Test
    void aCompleteSetupHasNoProblem() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("natives"));
        Files.createFile(dir.resolve(TensorFlowNatives.MARKER));

        assertThat(TensorFlowNatives.diagnose(dir.toString(), loader)).isEmpty();
        // a path list, as DJL reads it
        assertThat(TensorFlowNatives.diagnose(tmp.resolve("nowhere") + File.pathSeparator + dir, loader)).isEmpty();
    }

    @Test
    void aLibraryPathWithoutTheMarkerIsNamed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));

        assertThat(TensorFlowNatives.diagnose(dir.toString(), loader)).hasValueSatisfying(problem -> assertThat(problem)
                .contains("TENSORFLOW_LIBRARY_PATH=" + dir)
                .contains("holds no file named libjnitensorflow.so")
                .contains("unset TENSORFLOW_LIBRARY_PATH")
                .doesNotContain("class path"));
        assertThat(TensorFlowNatives.diagnose(null, loader)).hasValueSatisfying(problem -> assertThat(problem)
                .contains("TENSORFLOW_LIBRARY_PATH is not set"));
    }

    @Test
    void aMissingNativeJarIsNamedWithItsClassifier() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("natives"));
        Files.createFile(dir.resolve(TensorFlowNatives.MARKER));
        ClassLoader withoutNatives = hiding(loader, "org/tensorflow/internal/c_api/");

        assertThat(TensorFlowNatives.diagnose(dir.toString(), withoutNatives)).hasValueSatisfying(problem ->
                assertThat(problem)
                        .contains("org.tensorflow:tensorflow-core-native:1.0.0 with classifier " + TensorFlowNatives.platform())
                        .contains("not on the class path")
                        .doesNotContain("tensorflow-core-api")
                        .doesNotContain("TENSORFLOW_LIBRARY_PATH"));
    }

    @Test
    void missingJarsAreAllNamed() {
        ClassLoader empty = hiding(loader, "");

        assertThat(TensorFlowNatives.diagnose(null, empty)).hasValueSatisfying(problem -> assertThat(problem)
                .contains("ai.djl.tensorflow:tensorflow-engine:0.36.0")
                .contains("org.tensorflow:tensorflow-core-api:1.0.0")
                .contains("org.tensorflow:tensorflow-core-native:1.0.0")
                .contains("TENSORFLOW_LIBRARY_PATH is not set"));
    }

    @Test
    void platformIsJavaCppsClassifier() {
        assertThat(TensorFlowNatives.platform()).matches("[a-z]+-[a-z0-9_]+");
        if (System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64")) {
            assertThat(TensorFlowNatives.platform()).isEqualTo("linux-x86_64");
        }
    }

    @Test
    void ensureInAFreshJvmSetsUpOrNamesWhatIsMissing() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Probe broken = Probe.run(tmp.resolve("home1"), "-D" + TensorFlowNatives.LIBRARY_PATH + "=" + empty);
        assertThat(broken.exitCode).isEqualTo(3);
        assertThat(broken.output).startsWith("cannot run models on TensorFlow: TENSORFLOW_LIBRARY_PATH=" + empty
                + " holds no file named libjnitensorflow.so");

        Probe fine = Probe.run(tmp.resolve("home2"));
        assertThat(fine.exitCode).as(fine.output).isZero();
        assertThat(fine.output.strip()).isEqualTo(tmp.resolve("home2/natives").toAbsolutePath() + " true");
        assertThat(tmp.resolve("home2/natives").resolve(TensorFlowNatives.MARKER)).isRegularFile();
    }

    /** Runs {@link TensorFlowNatives#ensure()} in a child JVM with this class path (nothing native loads). */
    public static final class Probe {
        final int exitCode;
        final String output;

        private Probe(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }

        public static void main(String[] args) {
            try {
                TensorFlowNatives.ensure();
                System.out.println(System.getProperty(TensorFlowNatives.LIBRARY_PATH) + " "
                        + System.getProperty(TensorFlowNatives.OFFLINE));
            } catch (IllegalStateException e) {
                System.out.println(e.getMessage());
                System.exit(3);
            }
        }

        static Probe run(Path home, String... jvmArgs) throws Exception {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(List.of(jvmArgs));
            cmd.addAll(List.of("-Deenet.home=" + home, "-cp", System.getProperty("java.class.path"),
                    Probe.class.getName()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().remove(TensorFlowNatives.LIBRARY_PATH);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            return new Probe(p.exitValue(), out);
        }
    }

    /** A class loader that sees {@code parent}'s resources except those under {@code prefix}. */
    private static ClassLoader hiding(ClassLoader parent, String prefix) {
        return new ClassLoader(null) {
            @Override
            public URL getResource(String name) {
                return name.startsWith(prefix) ? null : parent.getResource(name);
            }
        };
    }
}
