package org.coar.workbench.ui.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.Observable;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.DataSpec;

/**
 * How the Spec panel's evaluation data are cut and preprocessed, as typed: Limit and Skip (which
 * examples, so the output width), Resize and Crop, and Mean and Std. They are the {@link DataSpec}
 * fields the build records in run.json, as the command line's --limit, --skip, --resize, --crop,
 * --mean and --std set them. Every field may be empty, meaning the default.
 */
public final class DataSettings {
    private final StringProperty limit = new SimpleStringProperty("");
    private final StringProperty skip = new SimpleStringProperty("");
    private final StringProperty resize = new SimpleStringProperty("");
    private final StringProperty crop = new SimpleStringProperty("");
    private final StringProperty mean = new SimpleStringProperty("");
    private final StringProperty std = new SimpleStringProperty("");

    /** At most this many examples (after Skip); empty: all. */
    public StringProperty limitProperty() {
        return limit;
    }

    /** Every K-th example; empty: every one. */
    public StringProperty skipProperty() {
        return skip;
    }

    /** Shorter image side in pixels; empty: no resize. */
    public StringProperty resizeProperty() {
        return resize;
    }

    /** Centre crop in pixels, after resizing; empty: no crop. */
    public StringProperty cropProperty() {
        return crop;
    }

    /** Per-channel mean, comma-separated; empty: no normalisation. */
    public StringProperty meanProperty() {
        return mean;
    }

    /** Per-channel standard deviation, comma-separated; given with Mean. */
    public StringProperty stdProperty() {
        return std;
    }

    Observable[] observables() {
        return new Observable[] {limit, skip, resize, crop, mean, std};
    }

    /**
     * {@code chosen} (the data's path, format and labels) with these settings; throws naming the
     * field and the fix when one is not a valid value.
     */
    public DataSpec applyTo(DataSpec chosen) {
        float[] means = numbers(mean.get(), "Mean");
        float[] stds = numbers(std.get(), "Std");
        if ((means == null) != (stds == null)) {
            throw new WorkbenchException((means == null ? "Mean" : "Std") + ": empty, but " + (means == null ? "Std" : "Mean")
                    + " is given; normalisation computes (x - mean) / std per channel, so fill in both (e.g. Mean "
                    + "0.4914, 0.4822, 0.4465 and Std 0.2470, 0.2435, 0.2616) or neither");
        }
        if (means != null && means.length != stds.length) {
            throw new WorkbenchException("Std: " + stds.length + " values but Mean has " + means.length
                    + "; give one value per channel to each");
        }
        if (stds != null) {
            for (int c = 0; c < stds.length; c++) {
                if (stds[c] <= 0) {
                    throw new WorkbenchException("Std: value " + (c + 1) + " is " + stds[c] + "; standard deviations must be positive");
                }
            }
        }
        return chosen.toBuilder().optLimit(atLeastOne(limit.get(), "Limit")).optSkip(atLeastOne(skip.get(), "Skip"))
                .optResize(atLeastOne(resize.get(), "Resize")).optCrop(atLeastOne(crop.get(), "Crop"))
                .optMean(means).optStd(stds).build();
    }

    /** Shows the settings of {@code spec}, e.g. those a store's run.json recorded; empty fields for its defaults. */
    public void show(DataSpec spec) {
        limit.set(text(spec.limit()));
        skip.set(text(spec.skip()));
        resize.set(text(spec.resize()));
        crop.set(text(spec.crop()));
        mean.set(text(spec.mean()));
        std.set(text(spec.std()));
    }

    public void clear() {
        for (StringProperty field : List.of(limit, skip, resize, crop, mean, std)) {
            field.set("");
        }
    }

    /** Which examples {@code spec} keeps, for messages: e.g. {@code Limit 50, Skip 2}; empty when all. */
    static String cut(DataSpec spec) {
        List<String> parts = new ArrayList<>();
        if (spec.skip() != null && spec.skip() > 1) {
            parts.add("Skip " + spec.skip());
        }
        if (spec.limit() != null) {
            parts.add(String.format(Locale.ROOT, "Limit %,d", spec.limit()));
        }
        return String.join(", ", parts);
    }

    private static Integer atLeastOne(String typed, String field) {
        String text = typed == null ? "" : typed.trim();
        if (text.isEmpty()) {
            return null;
        }
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new WorkbenchException(field + ": expected a whole number, got '" + text + "'; leave it empty for the default");
        }
        if (value < 1) {
            throw new WorkbenchException(field + ": must be at least 1, got " + value + "; leave it empty for the default");
        }
        return value;
    }

    private static float[] numbers(String typed, String field) {
        String text = typed == null ? "" : typed.trim();
        if (text.isEmpty()) {
            return null;
        }
        String[] parts = text.split("[,\\s]+");
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                values[i] = Float.parseFloat(parts[i]);
            } catch (NumberFormatException e) {
                throw new WorkbenchException(field + ": value " + (i + 1) + " is '" + parts[i] + "'; expected numbers, one per "
                        + "channel, separated by commas (e.g. 0.485, 0.456, 0.406)");
            }
            if (!Float.isFinite(values[i])) {
                throw new WorkbenchException(field + ": value " + (i + 1) + " is " + parts[i] + "; expected finite numbers");
            }
        }
        return values;
    }

    private static String text(Integer value) {
        return value == null ? "" : value.toString();
    }

    private static String text(float[] values) {
        if (values == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (float v : values) {
            parts.add(Float.toString(v));
        }
        return String.join(", ", parts);
    }
}
