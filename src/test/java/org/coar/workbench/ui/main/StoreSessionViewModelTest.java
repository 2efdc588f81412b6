package org.coar.workbench.ui.main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.model.ComponentPreset;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.store.Store;
import org.coar.workbench.testing.Fixtures;
import org.coar.workbench.ui.common.CurrentThreadTaskExecutor;
import org.coar.workbench.ui.common.FakeDialogs;
import org.coar.workbench.ui.common.JobReporter;
import org.coar.workbench.ui.common.ProjectState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening stores: a failure leaves nothing of the previous store; a missing model is said, and located only by its digest. */
class StoreSessionViewModelTest {
    private static final Path MODEL = Fixtures.resource("org/coar/workbench/demo/fashion_cnn.pt");

    private final ProjectState project = new ProjectState();
    private final FakeDialogs dialogs = new FakeDialogs();
    private final List<StoreSessionViewModel.OpenedStore> shown = new ArrayList<>();
    private final StoreSessionViewModel session = new StoreSessionViewModel(new CurrentThreadTaskExecutor(new JobReporter(dialogs, "the log")),
            project, dialogs, shown::add);

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static Path store(Path dir, Path model, String sha) {
        Store.create(dir, new SpecCodec().parse("{\"num_models\": 2, \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": [4]}, "
                + "\"margins\": {\"dtype\": \"float32\", \"shape\": [3]}}}", "spec"));
        RunConfig.builder().optModel(model.toString()).optModelSha256(sha).optData(DataSpec.of(MODEL.toString()))
                .optOutputArray("margins").optMaskArray("masks").build().write(dir);
        return dir;
    }

    @Test
    void aBrokenStoreAfterAGoodOneLeavesNothingOfTheGoodOneInTheProject(@TempDir Path tmp) throws Exception {
        Path good = store(tmp.resolve("good"), MODEL, sha256(MODEL));
        project.storeProperty().set(good);
        assertEquals("Store: " + good, session.statusProperty().get());
        assertTrue(shown.isEmpty(), "the panels read an opened store themselves; only a located model is handed to them");
        // What the panels made of the good store.
        project.modelProperty().set(MODEL);
        project.dataProperty().set(DataSpec.of("/data/images"));
        project.attributionsProperty().set(good.resolve("attributions"));
        project.focusedExampleProperty().set(7);
        project.focusedComponentProperty().set(3);
        project.componentsToAblateProperty().set(List.of(1, 2));
        project.includedGroupsProperty().set(List.of("conv1.weight"));
        project.componentPresetProperty().set(ComponentPreset.values()[ComponentPreset.values().length - 1]);

        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(broken.resolve("notes.txt"), "not a store");
        project.storeProperty().set(broken);

        assertNull(project.storeProperty().get());
        assertNull(project.modelProperty().get());
        assertNull(project.dataProperty().get());
        assertNull(project.attributionsProperty().get());
        assertNull(project.focusedExampleProperty().get());
        assertNull(project.focusedComponentProperty().get());
        assertEquals(List.of(), project.componentsToAblateProperty().get());
        assertEquals(List.of(), project.includedGroupsProperty().get());
        assertEquals(ComponentPreset.DEFAULT, project.componentPresetProperty().get());
        assertEquals("Could not open " + broken + ": " + broken + ": not a store (no .npy files); create one with 'coar init --spec SPEC "
                + "--store " + broken + "'", session.statusProperty().get());
        assertEquals(List.of("Opening store broken failed: " + broken + ": not a store (no .npy files); create one with 'coar init "
                + "--spec SPEC --store " + broken + "'"), dialogs.errors);
        assertTrue(shown.isEmpty(), "nothing of the broken store reaches the panels");
    }

    @Test
    void aMissingModelIsSaidAndOnlyTheFileWithTheRecordedDigestIsAccepted(@TempDir Path tmp) throws Exception {
        Path gone = tmp.resolve("gone/net.pt");
        Path store = store(tmp.resolve("moved/store"), gone, sha256(MODEL));
        String recorded = Files.readString(store.resolve(RunConfig.FILE));
        project.storeProperty().set(store);

        assertTrue(session.modelMissingProperty().get());
        assertEquals("Store: " + store + " — its model net.pt is missing (File ▸ Locate model…)", session.statusProperty().get());
        assertEquals(1, dialogs.questions.size());
        assertTrue(dialogs.questions.getFirst().startsWith("Model file missing: The model this store's rows were made with is not at " + gone),
                dialogs.questions.getFirst());
        assertTrue(dialogs.questions.getFirst().endsWith("[Locate model…]"));
        assertTrue(shown.isEmpty(), "nothing is handed to the panels before the model is located");

        Path other = tmp.resolve("elsewhere/net.pt");
        Files.createDirectories(other.getParent());
        Files.writeString(other, "some other model");
        dialogs.answers.add(other);
        session.locateModel();
        assertEquals(1, dialogs.errors.size());
        assertTrue(dialogs.errors.getFirst().contains("is a different model from the one this store's rows were made with: expected SHA-256 "
                + sha256(MODEL).substring(0, 12) + "…, got " + sha256(other).substring(0, 12) + "…"), dialogs.errors.getFirst());
        assertTrue(session.modelMissingProperty().get(), "still missing");
        assertEquals(recorded, Files.readString(store.resolve(RunConfig.FILE)));

        Path located = tmp.resolve("found/net.pt");
        Files.createDirectories(located.getParent());
        Files.copy(MODEL, located);
        dialogs.answers.add(located);
        dialogs.confirmations.add(true); // "Record in run.json"
        session.locateModel();
        assertFalse(session.modelMissingProperty().get());
        assertEquals(located.toString(), RunConfig.readAsRecorded(store).model());
        assertEquals(located.toString(), shown.getLast().run().orElseThrow().model());
        assertFalse(shown.getLast().modelMissing());
        assertEquals("Store: " + store + " — model " + located + " recorded in run.json", session.statusProperty().get());
    }

    @Test
    void withoutConsentTheLocatedModelServesThisSessionAndRunJsonStaysAsItWas(@TempDir Path tmp) throws Exception {
        Path store = store(tmp.resolve("store"), tmp.resolve("gone/net.pt"), sha256(MODEL));
        String recorded = Files.readString(store.resolve(RunConfig.FILE));
        project.storeProperty().set(store);
        Path located = tmp.resolve("found/net.pt");
        Files.createDirectories(located.getParent());
        Files.copy(MODEL, located);
        dialogs.answers.add(located);
        dialogs.confirmations.add(false);
        session.locateModel();
        assertEquals(recorded, Files.readString(store.resolve(RunConfig.FILE)));
        assertEquals(located.toString(), shown.getLast().run().orElseThrow().model());
        assertFalse(session.modelMissingProperty().get());
        assertEquals("Store: " + store + " — model " + located + " (this session; run.json unchanged)", session.statusProperty().get());
        assertEquals(List.of(), dialogs.errors);
    }
}
