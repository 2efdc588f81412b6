package org.coar.workbench.ui.common;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.coar.workbench.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the workbench remembers between starts: recent stores and the window layout. Kept in
 * {@code ~/.config/coar-workbench/settings.json} (or the folder in {@code -Dcoar.settings.dir}).
 */
public final class AppSettings {
    private static final Logger LOG = LoggerFactory.getLogger(AppSettings.class);
    private static final int MAX_RECENT = 8;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The persisted fields. */
    public static final class Data {
        public List<String> recentStores = new ArrayList<>();
        public double windowX = Double.NaN;
        public double windowY = Double.NaN;
        public double windowWidth = 1280;
        public double windowHeight = 820;
        public boolean maximized;
        public String panel = "SPEC";
    }

    private final Path file;
    private final Data data;

    private AppSettings(Path file, Data data) {
        this.file = file;
        this.data = data;
    }

    public static Path defaultDir() {
        String configured = System.getProperty("coar.settings.dir");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".config", "coar-workbench");
    }

    /** Loads the settings; a missing or unreadable file gives defaults (settings are a convenience). */
    public static AppSettings load(Path dir) {
        Path file = dir.resolve("settings.json");
        Data data = new Data();
        if (Files.exists(file)) {
            try {
                data = JSON.readValue(file.toFile(), Data.class);
            } catch (IOException e) {
                LOG.warn("ignoring unreadable settings {} ({})", file, e.getMessage());
            }
        }
        return new AppSettings(file, data);
    }

    public Data data() {
        return data;
    }

    /**
     * The most recent store still on disk; empty on a first start, or when every recent one has
     * been deleted since (stores in /tmp often are).
     */
    public Optional<Path> mostRecentStore() {
        return data.recentStores.stream().map(Path::of).filter(dir -> Files.isRegularFile(dir.resolve(Store.COMPLETED_FILE))).findFirst();
    }

    public void addRecentStore(Path store) {
        String path = store.toAbsolutePath().normalize().toString();
        data.recentStores.remove(path);
        data.recentStores.addFirst(path);
        while (data.recentStores.size() > MAX_RECENT) {
            data.recentStores.removeLast();
        }
    }

    public void save() {
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), data);
        } catch (IOException e) {
            LOG.warn("cannot save settings to {} ({})", file, e.getMessage());
        }
    }
}
