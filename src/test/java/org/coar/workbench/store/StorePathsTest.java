package org.coar.workbench.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.cli.Main;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store that was moved or copied finds its model and data again, by one rule (StorePaths), in the CLI and the services. */
class StorePathsTest {
    private static final Path MODEL = Fixtures.resource("org/coar/workbench/demo/fashion_cnn.pt");
    private static final Path IMAGES = Fixtures.resource("org/coar/workbench/demo/eval-images-idx3-ubyte.gz");
    private static final Path LABELS = Fixtures.resource("org/coar/workbench/demo/eval-labels-idx1-ubyte.gz");

    private static void coar(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(Writer.nullWriter()), new PrintWriter(err, true));
        assertEquals(0, code, "coar " + String.join(" ", args) + ": " + err);
    }

    /** Hex SHA-256 by the JDK directly, not through the code under test. */
    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** project/{models/net.pt, data/images + labels, store/} built by the CLI: 4 rows of the demo model on 10 images. */
    private static Path builtProject(Path project) throws IOException {
        Files.createDirectories(project.resolve("models"));
        Files.createDirectories(project.resolve("data"));
        Files.copy(MODEL, project.resolve("models/net.pt"));
        Files.copy(IMAGES, project.resolve("data/eval-images-idx3-ubyte.gz"));
        Files.copy(LABELS, project.resolve("data/eval-labels-idx1-ubyte.gz"));
        Path spec = project.resolve("spec.json");
        Files.writeString(spec, "{\"num_models\": 4, \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": [240]}, "
                + "\"margins\": {\"dtype\": \"float32\", \"shape\": [10]}}}");
        coar("init", "--spec", spec.toString(), "--store", project.resolve("store").toString());
        coar("build", "--store", project.resolve("store").toString(), "--model", project.resolve("models/net.pt").toString(),
                "--data", project.resolve("data/eval-images-idx3-ubyte.gz").toString(), "--limit", "10", "--devices", "cpu");
        return project;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Test
    void aProjectCopiedElsewhereOpensWithTheCopiesOfItsModelAndData(@TempDir Path tmp) throws IOException {
        Path old = builtProject(tmp.resolve("old/project"));
        Path moved = tmp.resolve("elsewhere/copy");
        Files.createDirectories(moved.getParent());
        copyTree(old, moved);
        deleteTree(old); // the recorded files are gone
        Path store = moved.resolve("store");

        assertEquals(old.resolve("models/net.pt").toString(), RunConfig.readAsRecorded(store).model(), "run.json is left as written");
        RunConfig run = RunConfig.read(store);
        assertEquals(moved.resolve("models/net.pt").toString(), run.model());
        assertEquals(moved.resolve("data/eval-images-idx3-ubyte.gz").toString(), run.data().path());
        assertEquals(moved.resolve("data/eval-labels-idx1-ubyte.gz").toString(), run.data().labels());

        StoredRun opened = StoredRun.open(store);
        assertEquals(10, opened.data().size());
        assertEquals(240, opened.components().total());
        // The CLI resumes the copy as recorded (every row is done, so nothing to build).
        coar("build", "--store", store.toString(), "--devices", "cpu");
    }

    @Test
    void aModelKeptInsideTheStoreIsFoundInsideItsCopy(@TempDir Path tmp) throws IOException {
        Path store = Files.createDirectories(tmp.resolve("new/store2"));
        Files.copy(MODEL, store.resolve("net.pt"));
        assertEquals(store.resolve("net.pt").toString(), StorePaths.resolve(store, tmp.resolve("old/store/net.pt").toString()));
    }

    @Test
    void aRelativeRecordedPathIsTakenRelativeToTheStore(@TempDir Path tmp) throws IOException {
        Path store = Files.createDirectories(tmp.resolve("store"));
        Files.createDirectories(tmp.resolve("data"));
        Files.writeString(tmp.resolve("data/x.npy"), "");
        assertEquals(tmp.resolve("data/x.npy").toString(), StorePaths.resolve(store, "../data/x.npy"));
    }

    @Test
    void aPathFoundNowhereStaysAsRecordedAndOneThatExistsIsKept(@TempDir Path tmp) throws IOException {
        Path store = Files.createDirectories(tmp.resolve("store"));
        assertEquals("/nowhere/at/all.pt", StorePaths.resolve(store, "/nowhere/at/all.pt"));
        assertEquals(IMAGES.toString(), StorePaths.resolve(store, IMAGES.toString()));
        assertEquals(null, StorePaths.resolve(store, (String) null));
    }

    @Test
    void anotherModelWithTheSameNameBesideTheStoreIsNotTakenForTheRecordedOne(@TempDir Path tmp) throws Exception {
        Path store = Files.createDirectories(tmp.resolve("project/store"));
        Files.writeString(tmp.resolve("project/net.pt"), "not the model");
        String recorded = "/old/project/net.pt";
        assertEquals(recorded, StorePaths.resolveModel(store, recorded, sha256(MODEL)));
        Files.copy(MODEL, tmp.resolve("project/net.pt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(tmp.resolve("project/net.pt").toString(), StorePaths.resolveModel(store, recorded, sha256(MODEL)));
    }

    @Test
    void theCandidatesAreTheLongestTrailingPartsFirstUnderThenBesideTheStore() {
        Path store = Path.of("/new/project/store");
        assertEquals(java.util.List.of(Path.of("/new/project/store/a/b.pt"), Path.of("/new/project/a/b.pt"),
                Path.of("/new/project/store/b.pt"), Path.of("/new/project/b.pt")), StorePaths.candidates(store, Path.of("/a/b.pt")));
    }

    private static Path storeRecording(Path dir, Path model, String sha) throws IOException {
        Files.createDirectories(dir);
        RunConfig.builder().optModel(model.toString()).optModelSha256(sha).optData(DataSpec.of("/data/images"))
                .optAlpha(0.05).optSeed(3L).optCreated("2026-01-02T03:04:05Z").build().write(dir);
        return dir;
    }

    @Test
    void theRightModelIsAcceptedAndRecordedWithEverythingElseAsWritten(@TempDir Path tmp) throws Exception {
        Path store = storeRecording(tmp.resolve("store"), Path.of("/gone/net.pt"), sha256(MODEL));
        Path located = tmp.resolve("found/net.pt");
        Files.createDirectories(located.getParent());
        Files.copy(MODEL, located);
        StorePaths.checkLocatedModel(store, located);
        StorePaths.recordModel(store, located);
        RunConfig recorded = RunConfig.readAsRecorded(store);
        assertEquals(located.toString(), recorded.model());
        assertEquals(sha256(MODEL), recorded.modelSha256());
        assertEquals(3L, recorded.seed());
        assertEquals("2026-01-02T03:04:05Z", recorded.created());
    }

    @Test
    void anotherModelIsRefusedWithBothDigestsAndRunJsonIsUnchanged(@TempDir Path tmp) throws Exception {
        Path store = storeRecording(tmp.resolve("store"), Path.of("/gone/net.pt"), sha256(MODEL));
        String before = Files.readString(store.resolve(RunConfig.FILE));
        Path other = Fixtures.resource("org/coar/workbench/demo/eval-labels-idx1-ubyte.gz");
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> StorePaths.recordModel(store, other));
        assertTrue(e.getMessage().contains("is a different model"), e.getMessage());
        assertTrue(e.getMessage().contains("expected SHA-256 " + sha256(MODEL).substring(0, 12) + "…"), e.getMessage());
        assertTrue(e.getMessage().contains("got " + sha256(other).substring(0, 12) + "…"), e.getMessage());
        assertFalse(e.getMessage().contains(sha256(MODEL).substring(0, 13)), "only 12 hex digits: " + e.getMessage());
        assertEquals(before, Files.readString(store.resolve(RunConfig.FILE)));
    }

    @Test
    void aRunJsonWithoutADigestCannotVouchForAnyFile(@TempDir Path tmp) throws IOException {
        Path store = storeRecording(tmp.resolve("store"), Path.of("/gone/net.pt"), null);
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> StorePaths.checkLocatedModel(store, MODEL));
        assertTrue(e.getMessage().contains("records no model_sha256"), e.getMessage());
    }
}
