package io.eenet.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @TempDir
    Path tmp;

    private Path tree() throws IOException {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/x.txt"), "x");
        Files.writeString(root.resolve("y.txt"), "y");
        Files.createDirectories(root.resolve("empty"));
        return root;
    }

    @Test
    void deletesATreeBottomUpAndNothingWhenItIsAbsent() throws IOException {
        Path root = tree();

        FileTrees.delete(root);
        FileTrees.delete(root);

        assertThat(root).doesNotExist();
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void deletesALinkNotWhatItPointsTo() throws IOException {
        Path kept = tree();
        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        Files.createSymbolicLink(other.resolve("link"), kept);

        FileTrees.delete(other);

        assertThat(other).doesNotExist();
        assertThat(kept.resolve("a/b/x.txt")).hasContent("x");
    }

    @Test
    void quietDeletionDeletesAndSaysNothingWhenAllIsGone() throws IOException {
        Path root = tree();

        assertThat(FileTrees.deleteQuietly(root)).isNull();
        assertThat(root).doesNotExist();
    }

    @Test
    void copiesDirectoriesAndPlainFilesAndRefusesALink() throws IOException {
        Path root = tree();
        Path copy = tmp.resolve("copy");

        FileTrees.copyPlain(root, copy);

        assertThat(copy.resolve("a/b/x.txt")).hasContent("x");
        assertThat(copy.resolve("y.txt")).hasContent("y");
        assertThat(copy.resolve("empty")).isEmptyDirectory();

        Files.createSymbolicLink(root.resolve("link"), root.resolve("y.txt"));
        assertThatThrownBy(() -> FileTrees.copyPlain(root, tmp.resolve("copy2")))
                .isInstanceOf(IOException.class).hasMessageContaining("link").hasMessageContaining("not a plain file");
    }
}
