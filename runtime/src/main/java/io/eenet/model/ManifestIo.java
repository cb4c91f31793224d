package io.eenet.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Reads and writes {@link ModelManifest}s and computes the checksums they carry. */
public final class ManifestIo {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ManifestIo() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ModelManifest read(Path packageDir) throws IOException {
        Path file = packageDir.resolve(ModelManifest.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IOException("not a model package: %s does not exist".formatted(file));
        }
        try {
            return MAPPER.readValue(file.toFile(), ModelManifest.class);
        } catch (IOException e) {
            throw new IOException("%s is not a valid manifest: %s".formatted(file, e.getMessage()), e);
        }
    }

    public static void write(Path packageDir, ModelManifest manifest) throws IOException {
        MAPPER.writeValue(packageDir.resolve(ModelManifest.FILE_NAME).toFile(), manifest);
    }

    /** SHA-256 of every regular file under {@code dir} except the manifest, by '/'-separated relative path. */
    public static Map<String, String> checksums(Path dir) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            String rel = dir.relativize(f).toString().replace('\\', '/');
            if (!rel.equals(ModelManifest.FILE_NAME)) {
                sums.put(rel, sha256(f));
            }
        }
        return sums;
    }

    /**
     * Checks every file of a package against its manifest's checksums.
     *
     * @throws IOException if the manifest lists no files, or a file is missing, unlisted or has another
     *     SHA-256 (the message names each such file)
     */
    public static void verifyChecksums(Path dir, ModelManifest manifest) throws IOException {
        Map<String, String> expected = manifest.files();
        if (expected == null || expected.isEmpty()) {
            throw new IOException("model package %s: the manifest lists no files and checksums".formatted(dir));
        }
        Map<String, String> actual = checksums(dir);
        if (actual.equals(expected)) {
            return;
        }
        List<String> problems = new ArrayList<>();
        for (var e : expected.entrySet()) {
            String a = actual.get(e.getKey());
            if (a == null) {
                problems.add(e.getKey() + " is missing");
            } else if (!a.equals(e.getValue())) {
                problems.add(e.getKey() + " has sha256 " + a + ", manifest says " + e.getValue());
            }
        }
        for (String k : actual.keySet()) {
            if (!expected.containsKey(k)) {
                problems.add(k + " is not listed in the manifest");
            }
        }
        throw new IOException("model package %s does not match its manifest's checksums: %s"
                .formatted(dir, String.join("; ", problems)));
    }

    public static String sha256(Path file) throws IOException {
        return io.eenet.model.Checksums.sha256(file);
    }
}
