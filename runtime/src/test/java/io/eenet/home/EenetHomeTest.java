package io.eenet.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EenetHomeTest {

    private String savedProperty;

    @BeforeEach
    void saveProperty() {
        savedProperty = System.getProperty(EenetHome.PROPERTY);
    }

    @AfterEach
    void restoreProperty() {
        if (savedProperty == null) {
            System.clearProperty(EenetHome.PROPERTY);
        } else {
            System.setProperty(EenetHome.PROPERTY, savedProperty);
        }
    }

    @Test
    void systemPropertyWins(@TempDir Path home) {
        System.setProperty(EenetHome.PROPERTY, home.toString());

        assertThat(EenetHome.resolve().home()).isEqualTo(home.toAbsolutePath());
        assertThat(EenetHome.resolve().dataDir("mnist")).isEqualTo(home.resolve("data/mnist"));
    }

    @Test
    void expandsTilde() {
        System.setProperty(EenetHome.PROPERTY, "~/somewhere");

        assertThat(EenetHome.resolve().home())
                .isEqualTo(Path.of(System.getProperty("user.home"), "somewhere"));
    }

    @Test
    void withoutPropertyFallsBackToEnvironmentThenUserHome() {
        System.clearProperty(EenetHome.PROPERTY);
        String env = System.getenv(EenetHome.ENV);
        Path expected = env == null || env.isBlank()
                ? Path.of(System.getProperty("user.home"), ".eenet")
                : Path.of(env).toAbsolutePath();

        assertThat(EenetHome.resolve().home()).isEqualTo(expected.normalize());
    }

    @Test
    void datasetDirectoryIsBelowData(@TempDir Path home) {
        EenetHome eenetHome = EenetHome.at(home);

        assertThat(eenetHome.dataDir("fashion-mnist"))
                .isEqualTo(home.resolve("data").resolve("fashion-mnist"));
        assertThatThrownBy(() -> eenetHome.dataDir("../etc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid dataset id '../etc'");
    }
}
