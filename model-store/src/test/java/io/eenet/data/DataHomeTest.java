package io.eenet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataHomeTest {

    private String savedProperty;

    @BeforeEach
    void saveProperty() {
        savedProperty = System.getProperty(DataHome.PROPERTY);
    }

    @AfterEach
    void restoreProperty() {
        if (savedProperty == null) {
            System.clearProperty(DataHome.PROPERTY);
        } else {
            System.setProperty(DataHome.PROPERTY, savedProperty);
        }
    }

    @Test
    void systemPropertyWins(@TempDir Path home) {
        System.setProperty(DataHome.PROPERTY, home.toString());

        assertThat(DataHome.resolve().home()).isEqualTo(home.toAbsolutePath());
        assertThat(DataHome.resolve().dataDir("mnist")).isEqualTo(home.resolve("data/mnist"));
    }

    @Test
    void expandsTilde() {
        System.setProperty(DataHome.PROPERTY, "~/somewhere");

        assertThat(DataHome.resolve().home())
                .isEqualTo(Path.of(System.getProperty("user.home"), "somewhere"));
    }

    @Test
    void withoutPropertyFallsBackToEnvironmentThenUserHome() {
        System.clearProperty(DataHome.PROPERTY);
        String env = System.getenv(DataHome.ENV);
        Path expected = env == null || env.isBlank()
                ? Path.of(System.getProperty("user.home"), ".eenet")
                : Path.of(env).toAbsolutePath();

        assertThat(DataHome.resolve().home()).isEqualTo(expected.normalize());
    }

    @Test
    void datasetDirectoryIsBelowData(@TempDir Path home) {
        DataHome dataHome = DataHome.at(home);

        assertThat(dataHome.dataDir(KnownDataset.FASHION_MNIST))
                .isEqualTo(home.resolve("data").resolve("fashion-mnist"));
        assertThatThrownBy(() -> dataHome.dataDir("../etc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid dataset id '../etc'");
    }
}
