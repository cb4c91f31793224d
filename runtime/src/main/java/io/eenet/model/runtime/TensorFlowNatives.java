package io.eenet.model.runtime;

import ai.djl.engine.Engine;
import io.eenet.home.EenetHome;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * Makes DJL's TensorFlow engine run on TF Java's natives (TF 2.16.2, from the
 * {@code org.tensorflow:tensorflow-core-native} jar of this platform on the class path) without
 * downloading anything and without settings from the user.
 *
 * <p>DJL's engine looks for a file named {@code libjnitensorflow.so} in the directory that
 * {@value #LIBRARY_PATH} (environment variable or system property) names, and otherwise downloads its
 * own natives from the internet. An empty file of that name is enough: TF Java's JavaCPP loader then
 * loads the real libraries from the class path. {@link #ensure()} therefore, unless the user set
 * {@value #LIBRARY_PATH} already:
 *
 * <ul>
 *   <li>creates {@code <eenet home>/natives/libjnitensorflow.so} (empty; {@code java.io.tmpdir} when the
 *       home is not writable) and points the system property {@value #LIBRARY_PATH} at it;
 *   <li>sets {@value #OFFLINE}{@code =true}, so that a mistake fails at once instead of trying the network;
 * </ul>
 *
 * and, unless set, points {@value #JAVACPP_CACHE} (where ~600 MB of natives are unpacked on first use)
 * at {@code <eenet home>/javacpp}, opts out of DJL's telemetry ({@value #OPT_OUT_TRACKING}), keeps DJL's GPU
 * probe to errors ({@link #CUDA_PROBE_LOG_LEVEL}) and has TensorFlow run each call's ops on the calling thread
 * ({@link #INTER_OP_THREADS}). It then checks that every piece is there and says which one is not.
 */
public final class TensorFlowNatives {

    /**
     * slf4j-simple's level for DJL's GPU probe (system property). DJL asks CUDA for the GPU count on every model it
     * loads and warns when a CUDA runtime is installed without a usable driver; the natives we ship are TensorFlow's
     * CPU build, which uses no GPU, so that warning never says anything a user can act on here.
     */
    public static final String CUDA_PROBE_LOG_LEVEL = "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils";

    /** Environment variable or system property naming the directory of {@code libjnitensorflow.so}. */
    public static final String LIBRARY_PATH = "TENSORFLOW_LIBRARY_PATH";

    /** DJL's offline switch (system property). */
    public static final String OFFLINE = "ai.djl.offline";

    /**
     * DJL's telemetry switch (system property): unless opted out, DJL's {@code Engine} class asks the EC2
     * metadata address for an instance id when it first loads. Always set to {@code true} unless set.
     */
    public static final String OPT_OUT_TRACKING = "OPT_OUT_TRACKING";

    /** Where JavaCPP unpacks the natives from their jar (system property). */
    public static final String JAVACPP_CACHE = "org.bytedeco.javacpp.cachedir";

    /**
     * DJL's setting (system property) for the sessions' {@code inter_op_parallelism_threads}; set to
     * {@value #CALLER_THREAD} unless the user set it or {@value #INTER_OP_VARIABLE}. TensorFlow hands each op of a
     * call to its inter-op thread pool by default, and the calling thread waits for the pool: a fixed cost per call
     * that the early-exit runtime pays once per stage and micro-batch, and most where batches are small (the
     * survivors of an early exit). A negative value runs the ops on the calling thread. Measured with
     * {@code ./eenet profile --batch 22} and {@code --batch 64} on a 2-core AMD EPYC (2026-12-07): every stage
     * of the mnist preset and its baseline faster, by 21-31% at batch 22 and 2-15% at 64 (docs/performance.md).
     * Give 0 for TensorFlow's own pool again.
     */
    public static final String INTER_OP_THREADS = "ai.djl.tensorflow.num_interop_threads";

    /** {@link #INTER_OP_THREADS}'s value for running a call's ops on the calling thread. */
    public static final String CALLER_THREAD = "-1";

    /** TensorFlow's environment variable for the size of its inter-op pool; when set, we leave the pool alone. */
    public static final String INTER_OP_VARIABLE = "TF_NUM_INTEROP_THREADS";

    /** DJL's name of the engine. */
    public static final String ENGINE = "TensorFlow";

    /** The marker DJL looks for. */
    static final String MARKER = System.mapLibraryName("jnitensorflow");

    static final String TF_JAVA_VERSION = "1.0.0";
    static final String DJL_VERSION = "0.36.0";

    private static boolean checked;
    private static Engine engine;

    private TensorFlowNatives() {}

    /**
     * Sets up and checks what DJL's TensorFlow engine needs, once per JVM; call before anything loads the
     * engine. Idempotent and cheap after the first call.
     *
     * @throws IllegalStateException naming what is missing (a jar on the class path, the marker file)
     */
    public static synchronized void ensure() {
        if (checked) {
            return;
        }
        configure(System.getProperties(), System::getenv, EenetHome.resolve().home());
        String libraryPath = System.getProperty(LIBRARY_PATH, System.getenv(LIBRARY_PATH));
        Optional<String> problem = diagnose(libraryPath, classLoader());
        if (problem.isPresent()) {
            throw new IllegalStateException("cannot run models on TensorFlow: %s".formatted(problem.get()));
        }
        checked = true;
    }

    /**
     * The engine, loaded after {@link #ensure()}.
     *
     * @throws IllegalStateException when it does not load, with what is missing or the engine's reason
     */
    static synchronized Engine engine() {
        if (engine == null) {
            ensure();
            try {
                engine = Engine.getEngine(ENGINE);
            } catch (RuntimeException | LinkageError e) {
                throw new IllegalStateException(("DJL's TensorFlow engine failed to load (%s); it needs "
                        + "org.tensorflow:tensorflow-core-api:%s and org.tensorflow:tensorflow-core-native:%s with "
                        + "classifier %s on the class path, and the file %s in %s=%s")
                        .formatted(rootMessage(e), TF_JAVA_VERSION, TF_JAVA_VERSION, platform(), MARKER, LIBRARY_PATH,
                                System.getProperty(LIBRARY_PATH, System.getenv(LIBRARY_PATH))), e);
            }
        }
        return engine;
    }

    /**
     * Fills in the settings the user left out (see the class comment).
     *
     * @param props where the settings go ({@link System#getProperties()} outside tests)
     * @param env the environment
     * @param home the eenet home directory
     * @return the directory of the marker when this call created or reused one, else empty (the user set
     *     {@value #LIBRARY_PATH})
     */
    static Optional<Path> configure(Properties props, UnaryOperator<String> env, Path home) {
        if (isBlank(props.getProperty(OPT_OUT_TRACKING)) && isBlank(env.apply(OPT_OUT_TRACKING))) {
            props.setProperty(OPT_OUT_TRACKING, "true");
        }
        if (isBlank(props.getProperty(CUDA_PROBE_LOG_LEVEL))) {
            props.setProperty(CUDA_PROBE_LOG_LEVEL, "error");
        }
        if (isBlank(props.getProperty(JAVACPP_CACHE))) {
            props.setProperty(JAVACPP_CACHE, home.resolve("javacpp").toString());
        }
        if (isBlank(props.getProperty(INTER_OP_THREADS)) && CALLER_THREAD.equals(interOpThreads(props, env))) {
            props.setProperty(INTER_OP_THREADS, CALLER_THREAD);
        }
        if (!isBlank(props.getProperty(LIBRARY_PATH)) || !isBlank(env.apply(LIBRARY_PATH))) {
            return Optional.empty();
        }
        Path dir;
        try {
            dir = createMarker(home.resolve("natives"));
        } catch (IOException e) {
            String user = props.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
            Path fallback = Path.of(props.getProperty("java.io.tmpdir"), "eenet-natives-" + user);
            try {
                dir = createMarker(fallback);
            } catch (IOException e2) {
                e2.addSuppressed(e);
                throw new IllegalStateException(("cannot create the marker file %s in %s nor in %s; set %s to a "
                        + "directory holding an empty file named %s")
                        .formatted(MARKER, home.resolve("natives"), fallback, LIBRARY_PATH, MARKER), e2);
            }
        }
        props.setProperty(LIBRARY_PATH, dir.toString());
        if (isBlank(props.getProperty(OFFLINE))) {
            props.setProperty(OFFLINE, "true");
        }
        return Optional.of(dir);
    }

    /**
     * The inter-op setting this JVM's sessions get: the user's {@link #INTER_OP_THREADS}; else "unset" (TensorFlow's
     * pool, sized by {@value #INTER_OP_VARIABLE}) when that variable is set; else {@value #CALLER_THREAD}.
     */
    public static String interOpThreads(Properties props, UnaryOperator<String> env) {
        String given = props.getProperty(INTER_OP_THREADS);
        if (!isBlank(given)) {
            return given.trim();
        }
        return isBlank(env.apply(INTER_OP_VARIABLE)) ? CALLER_THREAD : "unset";
    }

    private static Path createMarker(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path marker = dir.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            try {
                Files.createFile(marker);
            } catch (FileAlreadyExistsException raced) {
                // another JVM created it
            }
        }
        return dir.toAbsolutePath();
    }

    /**
     * What keeps the engine from loading offline, checked without loading anything native.
     *
     * @param libraryPath the value of {@value #LIBRARY_PATH} (a path list, as DJL reads it), or null
     * @param loader where the engine's and TF Java's jars must be
     * @return the problem in words, or empty when everything is in place
     */
    static Optional<String> diagnose(String libraryPath, ClassLoader loader) {
        List<String> missing = new ArrayList<>();
        if (loader.getResource("ai/djl/tensorflow/engine/TfEngineProvider.class") == null) {
            missing.add("DJL's TensorFlow engine (ai.djl.tensorflow:tensorflow-engine:" + DJL_VERSION
                    + ") is not on the class path");
        }
        if (loader.getResource("org/tensorflow/TensorFlow.class") == null) {
            missing.add("TF Java (org.tensorflow:tensorflow-core-api:" + TF_JAVA_VERSION + ") is not on the class path");
        }
        String nativeLib = "org/tensorflow/internal/c_api/" + platform() + "/" + MARKER;
        if (loader.getResource(nativeLib) == null) {
            missing.add("the TensorFlow natives for this platform (org.tensorflow:tensorflow-core-native:"
                    + TF_JAVA_VERSION + " with classifier " + platform() + ", holding " + nativeLib
                    + ") are not on the class path");
        }
        if (isBlank(libraryPath)) {
            missing.add(LIBRARY_PATH + " is not set: without it DJL downloads natives of its own; "
                    + "TensorFlowNatives.ensure() sets it up");
        } else if (findMarker(libraryPath) == null) {
            missing.add(LIBRARY_PATH + "=" + libraryPath + " holds no file named " + MARKER
                    + ", so DJL would download natives of its own: unset " + LIBRARY_PATH
                    + " (eenet then sets it up) or create an empty file " + MARKER + " in that directory");
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", missing));
    }

    /** The file DJL takes for its library in {@code libraryPath}, as DJL searches it, or null. */
    private static File findMarker(String libraryPath) {
        for (String entry : libraryPath.split(File.pathSeparator)) {
            File f = new File(entry);
            if (f.isFile() && f.getName().endsWith(MARKER)) {
                return f;
            }
            File inside = new File(f, MARKER);
            if (inside.isFile()) {
                return inside;
            }
        }
        return null;
    }

    /** The classifier of TF Java's native jar for this JVM, as JavaCPP names platforms. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macosx"
                : os.startsWith("windows") ? "windows" : os.replaceAll("\\W", "");
        String a = switch (arch) {
            case "amd64", "x86_64", "x86-64" -> "x86_64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
        return o + "-" + a;
    }

    private static ClassLoader classLoader() {
        ClassLoader own = TensorFlowNatives.class.getClassLoader();
        return own != null ? own : ClassLoader.getSystemClassLoader();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        StringBuilder sb = new StringBuilder(String.valueOf(t.getMessage()));
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            sb.append(": ").append(root.getMessage());
        }
        return sb.toString();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
