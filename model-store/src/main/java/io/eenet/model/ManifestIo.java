package io.eenet.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
            throw new IOException("not a model package: " + file + " does not exist");
        }
        try {
            return MAPPER.readValue(file.toFile(), ModelManifest.class);
        } catch (IOException e) {
            throw new IOException(file + " is not a valid manifest: " + e.getMessage(), e);
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

    public static String sha256(Path file) throws IOException {
        return io.eenet.data.Checksums.sha256(file);
    }
}
