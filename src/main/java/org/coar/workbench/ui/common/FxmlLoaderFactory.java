package org.coar.workbench.ui.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Supplier;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

/** Loads FXML views with controllers built by constructor injection, never by reflection on a no-arg constructor. */
public final class FxmlLoaderFactory {
    private final Map<Class<?>, Supplier<?>> controllers;

    public FxmlLoaderFactory(Map<Class<?>, Supplier<?>> controllers) {
        this.controllers = Map.copyOf(controllers);
    }

    public Parent load(FxmlFile file) {
        FXMLLoader loader = new FXMLLoader(FxmlLoaderFactory.class.getResource(file.resource()));
        loader.setControllerFactory(type -> {
            Supplier<?> supplier = controllers.get(type);
            if (supplier == null) {
                throw new IllegalStateException("no controller registered for " + type.getName() + " (" + file + ")");
            }
            return supplier.get();
        });
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + file.resource(), e);
        }
    }
}
