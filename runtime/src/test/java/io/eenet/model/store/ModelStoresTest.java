package io.eenet.model.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.eenet.home.EenetHome;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoresTest {

    private String savedStore;
    private String savedHome;

    @BeforeEach
    void save() {
        savedStore = System.getProperty(ModelStores.PROPERTY);
        savedHome = System.getProperty(EenetHome.PROPERTY);
    }

    @AfterEach
    void restore() {
        restore(ModelStores.PROPERTY, savedStore);
        restore(EenetHome.PROPERTY, savedHome);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void propertyWins(@TempDir Path dir) {
        System.setProperty(ModelStores.PROPERTY, dir.toString());
        assertThat(ModelStores.defaultLocation()).isEqualTo(dir.toAbsolutePath());
        assertThat(ModelStores.defaultLocation(dir.toString(), "/elsewhere")).isEqualTo(dir.toAbsolutePath());
    }

    @Test
    void environmentComesNext(@TempDir Path dir) {
        assertThat(ModelStores.defaultLocation(null, dir.toString())).isEqualTo(dir.toAbsolutePath());
        assertThat(ModelStores.defaultLocation(" ", "~/models"))
                .isEqualTo(Path.of(System.getProperty("user.home"), "models"));
    }

    @Test
    void otherwiseTheStoreIsInTheEenetHome(@TempDir Path home) {
        System.setProperty(EenetHome.PROPERTY, home.toString());
        assertThat(ModelStores.defaultLocation(null, null)).isEqualTo(home.toAbsolutePath().resolve("store"));
    }
}
