package org.coar.workbench.ui.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.store.Store;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppSettingsTest {
    @TempDir
    Path tmp;

    private Path store(String name) {
        Path dir = tmp.resolve(name);
        Store.create(dir, new SpecCodec().read(Fixtures.resource("store/spec_small.json")));
        return dir;
    }

    @Test
    void layoutAndRecentStoresSurviveARestart() {
        Path older = store("older");
        Path newer = store("newer");
        AppSettings first = AppSettings.load(tmp.resolve("settings"));
        assertEquals(Optional.empty(), first.mostRecentStore(), "a first start has no store to reopen");
        first.addRecentStore(older);
        first.addRecentStore(newer);
        first.addRecentStore(older);
        first.data().windowWidth = 1500;
        first.data().panel = "BUILD";
        first.save();

        AppSettings again = AppSettings.load(tmp.resolve("settings"));
        assertEquals(List.of(older.toString(), newer.toString()), again.data().recentStores, "most recent first, no repeats");
        assertEquals(1500, again.data().windowWidth);
        assertEquals("BUILD", again.data().panel);
        assertEquals(Optional.of(older), again.mostRecentStore());
    }

    @Test
    void aDeletedRecentStoreIsSkipped() throws IOException {
        Path kept = store("kept");
        Path deleted = tmp.resolve("deleted");
        Files.createDirectories(deleted); // the folder may survive while the store files are gone
        AppSettings settings = AppSettings.load(tmp.resolve("settings"));
        settings.addRecentStore(kept);
        settings.addRecentStore(deleted);
        settings.addRecentStore(tmp.resolve("never-existed"));
        assertEquals(Optional.of(kept), settings.mostRecentStore());
    }

    @Test
    void anUnreadableSettingsFileGivesDefaults() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("settings"));
        Files.writeString(dir.resolve("settings.json"), "{\"recentStores\": [\"/x\", ");
        AppSettings settings = AppSettings.load(dir);
        assertTrue(settings.data().recentStores.isEmpty());
        assertEquals(1280, settings.data().windowWidth);
    }
}
