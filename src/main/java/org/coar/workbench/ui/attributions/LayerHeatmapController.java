package org.coar.workbench.ui.attributions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Pane;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;
import org.coar.workbench.attributions.AttributionMatrix;
import org.coar.workbench.model.Components;

/**
 * The Layer heatmap page: the view model's image stretched over the area (one block per pixel at
 * most), lines and names at the layer boundaries, the colour legend, and the selected cell.
 */
public final class LayerHeatmapController {
    private static final int LEGEND_WIDTH = 220;
    private static final int LEGEND_HEIGHT = 14;
    /** Layer names closer together than this (pixels) would overlap; the smaller layer's name is left out. */
    private static final double LABEL_SPACING = 14;

    private final LayerHeatmapViewModel viewModel;

    @FXML
    private Button zoomInButton;
    @FXML
    private Button zoomOutButton;
    @FXML
    private Button showAllButton;
    @FXML
    private Label heatmapStatusLabel;
    @FXML
    private Label heatmapEmptyLabel;
    @FXML
    private BorderPane heatmapContent;
    @FXML
    private Pane layerGutter;
    @FXML
    private Pane imageArea;
    @FXML
    private ImageView heatmapImage;
    @FXML
    private Pane overlay;
    @FXML
    private Label firstExampleLabel;
    @FXML
    private Label lastExampleLabel;
    @FXML
    private Label lowLabel;
    @FXML
    private ImageView legendImage;
    @FXML
    private Label highLabel;
    @FXML
    private Label heatmapCellLabel;
    @FXML
    private Button showExampleButton;
    @FXML
    private Button showComponentButton;

    private double pressX;
    private double pressY;

    public LayerHeatmapController(LayerHeatmapViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        heatmapStatusLabel.textProperty().bind(viewModel.statusProperty());
        heatmapEmptyLabel.textProperty().bind(viewModel.statusProperty());
        int[] legend = new int[LEGEND_WIDTH * LEGEND_HEIGHT];
        for (int x = 0; x < LEGEND_WIDTH; x++) {
            int colour = ScoreColours.argb(2.0 * x / (LEGEND_WIDTH - 1) - 1, 1);
            for (int y = 0; y < LEGEND_HEIGHT; y++) {
                legend[y * LEGEND_WIDTH + x] = colour;
            }
        }
        legendImage.setImage(Images.argb(LEGEND_WIDTH, LEGEND_HEIGHT, legend));
        imageArea.widthProperty().addListener((obs, old, now) -> layoutImage());
        imageArea.heightProperty().addListener((obs, old, now) -> layoutImage());
        imageArea.setOnScroll(this::onScroll);
        imageArea.setOnMousePressed(e -> {
            pressX = e.getX();
            pressY = e.getY();
        });
        imageArea.setOnMouseReleased(this::onReleased);
        viewModel.renderedProperty().addListener((obs, old, now) -> show(now));
        viewModel.windowProperty().addListener((obs, old, now) -> {
            heatmapContent.setVisible(now != null);
            heatmapEmptyLabel.setVisible(now == null);
            drawLayers();
        });
        viewModel.selectedProperty().addListener((obs, old, now) -> showSelection());
        show(null);
    }

    private void layoutImage() {
        double width = imageArea.getWidth();
        double height = imageArea.getHeight();
        heatmapImage.setFitWidth(width);
        heatmapImage.setFitHeight(height);
        overlay.resize(width, height);
        viewModel.resize((int) Math.floor(width), (int) Math.floor(height));
        drawLayers();
    }

    private void show(LayerHeatmapViewModel.Rendered rendered) {
        boolean shown = rendered != null;
        heatmapContent.setVisible(viewModel.windowProperty().get() != null);
        heatmapEmptyLabel.setVisible(viewModel.windowProperty().get() == null);
        for (Node control : List.of(zoomInButton, zoomOutButton, showAllButton)) {
            control.setDisable(!shown);
        }
        if (!shown) {
            heatmapImage.setImage(null);
            lowLabel.setText("");
            highLabel.setText("");
            firstExampleLabel.setText("");
            lastExampleLabel.setText("");
            showSelection();
            return;
        }
        AttributionMatrix.Blocks blocks = rendered.blocks();
        heatmapImage.setImage(Images.argb(rendered.width(), rendered.height(), rendered.argb()));
        lowLabel.setText(String.format(Locale.ROOT, "≤ −%.3g", blocks.scale()));
        highLabel.setText(String.format(Locale.ROOT, "≥ +%.3g", blocks.scale()));
        firstExampleLabel.setText(String.format(Locale.ROOT, "example %,d", blocks.window().exampleFrom()));
        lastExampleLabel.setText(String.format(Locale.ROOT, "example %,d", blocks.window().exampleTo() - 1));
        drawLayers();
        showSelection();
    }

    /** A line at each layer boundary in view, and each layer's name beside its rows where there is room for it. */
    private void drawLayers() {
        AttributionMatrix.Window window = viewModel.windowProperty().get();
        Components components = viewModel.componentsProperty().get();
        List<Node> lines = new ArrayList<>();
        List<Node> names = new ArrayList<>();
        double height = imageArea.getHeight();
        if (window != null && components != null && height > 0) {
            double perComponent = height / window.components();
            double lastLabel = Double.NEGATIVE_INFINITY;
            for (int g = 0; g < components.groups().size(); g++) {
                long start = components.start(g);
                long end = components.start(g) + components.groups().get(g).size();
                if (end <= window.componentFrom() || start >= window.componentTo()) {
                    continue;
                }
                double top = Math.max(0, (start - window.componentFrom()) * perComponent);
                double bottom = Math.min(height, (end - window.componentFrom()) * perComponent);
                if (start > window.componentFrom()) {
                    Line line = new Line(0, top, imageArea.getWidth(), top);
                    line.getStyleClass().add("heatmap-layer-line");
                    lines.add(line);
                }
                double middle = (top + bottom) / 2;
                if (middle - lastLabel >= LABEL_SPACING) {
                    String name = components.groups().get(g).name();
                    Label label = new Label(name.endsWith(".weight") ? name.substring(0, name.length() - ".weight".length()) : name);
                    label.setMaxWidth(layerGutter.getWidth() - 6);
                    label.getStyleClass().add("heatmap-layer-name");
                    label.setLayoutX(2);
                    label.setLayoutY(middle - 8);
                    names.add(label);
                    lastLabel = middle;
                }
            }
        }
        overlay.getChildren().setAll(lines);
        layerGutter.getChildren().setAll(names);
        showSelection();
    }

    /** The selected cell's outline (where it is in view) and what it is. */
    private void showSelection() {
        LayerHeatmapViewModel.Cell cell = viewModel.selectedProperty().get();
        showExampleButton.setDisable(cell == null);
        showComponentButton.setDisable(cell == null);
        overlay.getChildren().removeIf(node -> node.getStyleClass().contains("heatmap-selection"));
        if (cell == null) {
            heatmapCellLabel.setText(viewModel.windowProperty().get() == null ? "" : "Click a cell to select its example and component.");
            return;
        }
        heatmapCellLabel.setText(String.format(Locale.ROOT, "Example %,d × %s (component %d): score %.4g", cell.example(), cell.componentName(),
                cell.component(), cell.score()));
        AttributionMatrix.Window window = viewModel.windowProperty().get();
        if (window != null && cell.example() >= window.exampleFrom() && cell.example() < window.exampleTo()
                && cell.component() >= window.componentFrom() && cell.component() < window.componentTo()) {
            double w = imageArea.getWidth() / window.examples();
            double h = imageArea.getHeight() / window.components();
            double size = 3; // the outline stays visible when a cell is smaller than a pixel
            Rectangle outline = new Rectangle((cell.example() - window.exampleFrom()) * w, (cell.component() - window.componentFrom()) * h,
                    Math.max(size, w), Math.max(size, h));
            outline.getStyleClass().add("heatmap-selection");
            overlay.getChildren().add(outline);
        }
    }

    private void onScroll(ScrollEvent e) {
        if (e.getDeltaY() == 0) {
            return;
        }
        double fx = e.getX() / imageArea.getWidth();
        double fy = e.getY() / imageArea.getHeight();
        if (e.getDeltaY() > 0) {
            viewModel.zoomIn(fx, fy);
        } else {
            viewModel.zoomOut(fx, fy);
        }
        e.consume();
    }

    private void onReleased(MouseEvent e) {
        if (e.isStillSincePress()) {
            viewModel.select(e.getX() / imageArea.getWidth(), e.getY() / imageArea.getHeight());
        } else {
            // dragging moves the matrix with the pointer
            viewModel.pan(-(e.getX() - pressX) / imageArea.getWidth(), -(e.getY() - pressY) / imageArea.getHeight());
        }
    }

    @FXML
    private void onZoomIn() {
        viewModel.zoomIn(0.5, 0.5);
    }

    @FXML
    private void onZoomOut() {
        viewModel.zoomOut(0.5, 0.5);
    }

    @FXML
    private void onShowAll() {
        viewModel.resetZoom();
    }

    @FXML
    private void onShowExample() {
        viewModel.showExample();
    }

    @FXML
    private void onShowComponent() {
        viewModel.showComponent();
    }
}
