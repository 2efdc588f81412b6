package org.coar.workbench.ui.common;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** Real JavaFX dialogs, owned by the main window. */
public final class FxDialogService implements DialogService {
    private final Window owner;

    public FxDialogService(Window owner) {
        this.owner = owner;
    }

    @Override
    public void showError(String title, String message) {
        show(Alert.AlertType.ERROR, title, message);
    }

    @Override
    public void showInformation(String title, String message) {
        show(Alert.AlertType.INFORMATION, title, message);
    }

    private void show(Alert.AlertType type, String title, String message) {
        alert(type, title, message).showAndWait();
    }

    /**
     * A resizable dialog that shows the whole message: wrapped text, and for a long message its first
     * sentence above a scrollable, selectable details area holding all of it, expanded ({@link DialogText}).
     */
    Alert alert(Alert.AlertType type, String title, String message) {
        Alert alert = new Alert(type);
        alert.initOwner(owner);
        alert.setTitle(title);
        alert.setHeaderText(title);
        alert.setResizable(true);
        DialogText text = DialogText.of(message);
        Label summary = new Label(text.summary());
        summary.setId("dialog-message");
        summary.setWrapText(true);
        summary.setMaxWidth(Double.MAX_VALUE);
        // A wrapped label in a dialog is otherwise given one line's height and ends in "…".
        summary.setMinHeight(Region.USE_PREF_SIZE);
        summary.setPrefWidth(520);
        DialogPane pane = alert.getDialogPane();
        pane.setContent(summary);
        pane.setMinHeight(Region.USE_PREF_SIZE);
        if (text.details() != null) {
            TextArea details = new TextArea(text.details());
            details.setId("dialog-details");
            details.setEditable(false);
            details.setWrapText(true);
            details.setPrefRowCount(Math.min(16, 3 + text.details().length() / 70));
            details.setMaxHeight(Double.MAX_VALUE);
            VBox.setVgrow(details, Priority.ALWAYS);
            pane.setExpandableContent(new VBox(details));
            pane.setExpanded(true);
        }
        return alert;
    }

    @Override
    public boolean confirm(String title, String message, String acceptLabel) {
        Alert alert = alert(Alert.AlertType.CONFIRMATION, title, message);
        ButtonType accept = new ButtonType(acceptLabel, ButtonBar.ButtonData.OK_DONE);
        alert.getButtonTypes().setAll(accept, ButtonType.CANCEL);
        return alert.showAndWait().filter(accept::equals).isPresent();
    }

    @Override
    public int ask(String title, String message, String... answers) {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION);
        alert.initOwner(owner);
        alert.setTitle(title);
        alert.setHeaderText(title);
        alert.setContentText(message);
        java.util.List<javafx.scene.control.ButtonType> buttons = new java.util.ArrayList<>();
        for (String answer : answers) {
            buttons.add(new javafx.scene.control.ButtonType(answer, javafx.scene.control.ButtonBar.ButtonData.OTHER));
        }
        buttons.add(javafx.scene.control.ButtonType.CANCEL);
        alert.getButtonTypes().setAll(buttons);
        alert.getDialogPane().setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        return alert.showAndWait().map(buttons::indexOf).filter(i -> i < answers.length).orElse(-1);
    }

    @Override
    public Optional<Path> chooseFile(String title, String... extensions) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        if (extensions.length > 0) {
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(String.join(", ", extensions),
                    Arrays.stream(extensions).map(e -> "*" + e).toList()));
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("All files", "*"));
        }
        return Optional.ofNullable(chooser.showOpenDialog(owner)).map(File::toPath);
    }

    @Override
    public Optional<Path> chooseSaveFile(String title, String initialName) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.setInitialFileName(initialName);
        return Optional.ofNullable(chooser.showSaveDialog(owner)).map(File::toPath);
    }

    @Override
    public Optional<Path> chooseDirectory(String title) {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(title);
        return Optional.ofNullable(chooser.showDialog(owner)).map(File::toPath);
    }
}
