package io.eenet.model.cost;

import io.eenet.model.runtime.TensorFlowNatives;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The machine and engine settings a time was measured on. Times differ by CPU (model, vector units),
 * core count and engine setting, so a measured cost is only valid where all of them are the same
 * ({@link #id()}).
 *
 * @param cpu the CPU model as the OS names it ({@code /proc/cpuinfo}), else the JVM's architecture
 * @param cores processors available to the JVM
 * @param vectorUnits the CPU features that change what the engine's kernels do (AVX2, AVX-512, AMX, ...),
 *     of those the CPU reports
 * @param flagsHash a short hash of every CPU flag reported: machines sold under one name differ by flags
 * @param engine the engine's settings read from the environment (name to value; "unset" when absent)
 */
public record Machine(String cpu, int cores, List<String> vectorUnits, String flagsHash, Map<String, String> engine) {

    /** CPU features worth naming in a report: they select the engine's kernels. */
    static final List<String> NAMED_UNITS = List.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw",
            "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8", "neon", "asimd", "sve");

    /** Environment variables that change how TensorFlow runs a model on a CPU. */
    public static final List<String> ENGINE_VARIABLES = List.of("TF_ENABLE_ONEDNN_OPTS", "TF_NUM_INTRAOP_THREADS",
            "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS");

    public Machine {
        Objects.requireNonNull(cpu, "cpu");
        vectorUnits = List.copyOf(vectorUnits);
        Objects.requireNonNull(flagsHash, "flagsHash");
        engine = Map.copyOf(engine);
    }

    /**
     * The engine setting that is a system property, not a variable: how TensorFlow schedules a call's ops
     * ({@link TensorFlowNatives#INTER_OP_THREADS}; -1, the runtime's default: on the calling thread).
     */
    public static final String INTER_OP = TensorFlowNatives.INTER_OP_THREADS;

    /**
     * This process's machine: {@code /proc/cpuinfo} where there is one, this process's environment, and the
     * inter-op setting its sessions get ({@link TensorFlowNatives#interOpThreads}).
     */
    public static Machine current() {
        Map<String, String> engine = new LinkedHashMap<>();
        for (String name : ENGINE_VARIABLES) {
            String value = System.getenv(name);
            if (value != null) {
                engine.put(name, value);
            }
        }
        engine.put(INTER_OP, TensorFlowNatives.interOpThreads(System.getProperties(), System::getenv));
        return of(readCpuInfo(Path.of("/proc/cpuinfo")), Runtime.getRuntime().availableProcessors(), engine);
    }

    /**
     * A machine from the text of a {@code /proc/cpuinfo} (empty when there is none) and an environment
     * ({@link #ENGINE_VARIABLES}, and {@link #INTER_OP} where it holds one).
     */
    static Machine of(String cpuInfo, int cores, Map<String, String> env) {
        String model = field(cpuInfo, "model name");
        if (model.isEmpty()) {
            model = field(cpuInfo, "Model"); // some ARM kernels
        }
        if (model.isEmpty()) {
            model = System.getProperty("os.arch", "unknown");
        }
        Set<String> flags = new TreeSet<>(Arrays.asList(
                (field(cpuInfo, "flags") + " " + field(cpuInfo, "Features")).trim().split("\\s+")));
        flags.remove("");
        List<String> units = new ArrayList<>();
        for (String unit : NAMED_UNITS) {
            if (flags.contains(unit)) {
                units.add(unit);
            }
        }
        Map<String, String> engine = new LinkedHashMap<>();
        for (String name : ENGINE_VARIABLES) {
            String value = env.get(name);
            engine.put(name, value == null || value.isBlank() ? "unset" : value.trim());
        }
        String interOp = env.get(INTER_OP);
        if (interOp != null && !interOp.isBlank()) {
            engine.put(INTER_OP, interOp.trim());
        }
        return new Machine(model.trim(), cores, units, hash(String.join(" ", flags)), engine);
    }

    /**
     * A name for this machine and engine setting, safe as a file name: two measurements compare only when
     * their ids are equal.
     */
    public String id() {
        String slug = cpu.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        if (slug.length() > 40) {
            slug = slug.substring(0, 40);
        }
        StringBuilder settings = new StringBuilder();
        engine.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> settings.append(e.getKey()).append('=').append(e.getValue()).append(';'));
        return slug + "-" + cores + "c-" + flagsHash + "-" + hash(settings.toString());
    }

    /** The oneDNN setting in words: "on", "off", or "default" (TensorFlow's own, on for x86 since TF 2.9). */
    public String oneDnn() {
        String v = engine.getOrDefault("TF_ENABLE_ONEDNN_OPTS", "unset");
        return switch (v) {
            case "1", "true", "TRUE", "True" -> "on";
            case "0", "false", "FALSE", "False" -> "off";
            default -> "default";
        };
    }

    /** One line for people: CPU, cores, vector units, oneDNN, and where TensorFlow runs a call's ops if known. */
    public String describe() {
        String interOp = engine.get(INTER_OP);
        String ops = interOp == null ? "" : interOp.startsWith("-") ? ", ops on the calling thread"
                : ", ops on TensorFlow's inter-op pool";
        return describeHardware() + ", oneDNN " + oneDnn() + ops;
    }

    /** The hardware alone: CPU, cores, vector units. */
    public String describeHardware() {
        return String.format(Locale.ROOT, "%s, %d cores, %s", cpu, cores,
                vectorUnits.isEmpty() ? "no named vector units" : String.join("/", vectorUnits));
    }

    private static String readCpuInfo(Path file) {
        try {
            return Files.isReadable(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The value of the first line {@code name<tabs>: value}, or "". */
    private static String field(String text, String name) {
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
