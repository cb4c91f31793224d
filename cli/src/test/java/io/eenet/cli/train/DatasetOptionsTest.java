package io.eenet.cli.train;

import static io.eenet.cli.CommandLines.parsed;
import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.data.ImageDataset;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --data-dir} as train and eval read it (a known dataset would be installed: not in a unit test). */
class DatasetOptionsTest {

    @Test
    void aDataDirIsReadAsItIsAndTheDefaultDatasetIsNotAsked(@TempDir Path dir) throws Exception {
        DatasetOptions options = parsed(new DatasetOptions(), "--data-dir", dir.toString());

        DatasetOptions.DataSource source = options.source(() -> {
            throw new AssertionError("the default dataset was asked for");
        }, line -> {
            throw new AssertionError("nothing is installed: " + line);
        });

        assertThat(source).isEqualTo(new DatasetOptions.DataSource(dir, null));
    }

    @Test
    void labelsOfAUsersIdxFilesAreTheClassNumbers() {
        ImageDataset images = ImageDataset.of("idx", 1, 1, 1, new byte[3], new int[] {0, 2, 1});

        assertThat(new DatasetOptions.DataSource(Path.of("idx"), null).labels(images))
                .isEqualTo(List.of("0", "1", "2"));
    }
}
