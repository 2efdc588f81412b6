package org.coar.workbench.ui.common;

import java.util.ArrayList;
import java.util.List;
import javafx.css.PseudoClass;
import javafx.geometry.Bounds;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.scene.transform.Transform;

/**
 * A figure's pixels as a file should hold them: the node alone, at a scale (2 for print), on white,
 * drawn as if the pointer, the keyboard focus and the selection were elsewhere (no hover, pressed,
 * focus or selected styles), which are restored straight after.
 */
public final class FigureSnapshot {
    /** Pseudo-classes that describe where the pointer, focus or selection happens to be, not the figure. */
    private static final List<PseudoClass> TRANSIENT = List.of("hover", "pressed", "armed", "focused", "focus-visible", "focus-within",
                    "selected")
            .stream().map(PseudoClass::getPseudoClass).toList();

    private FigureSnapshot() {
    }

    public static WritableImage of(Node figure, double scale) {
        List<Runnable> restore = new ArrayList<>();
        clearTransientStates(figure, restore);
        try {
            if (figure instanceof Parent parent) {
                parent.applyCss();
                parent.layout();
            }
            Bounds bounds = figure.getLayoutBounds();
            SnapshotParameters params = new SnapshotParameters();
            params.setFill(Color.WHITE);
            params.setTransform(Transform.scale(scale, scale));
            // The layout box exactly (effects such as a drop shadow may paint outside it).
            params.setViewport(new Rectangle2D(bounds.getMinX() * scale, bounds.getMinY() * scale,
                    Math.ceil(bounds.getWidth() * scale), Math.ceil(bounds.getHeight() * scale)));
            return figure.snapshot(params, null);
        } finally {
            restore.forEach(Runnable::run);
            if (figure instanceof Parent parent) {
                parent.applyCss();
            }
        }
    }

    private static void clearTransientStates(Node node, List<Runnable> restore) {
        for (PseudoClass state : TRANSIENT) {
            if (node.getPseudoClassStates().contains(state)) {
                node.pseudoClassStateChanged(state, false);
                restore.add(() -> node.pseudoClassStateChanged(state, true));
            }
        }
        if (node instanceof Parent parent) {
            parent.getChildrenUnmodifiable().forEach(child -> clearTransientStates(child, restore));
        }
    }
}
