package org.coar.workbench.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.coar.workbench.WorkbenchException;

/**
 * The ordered component groups of a model. Flat component index {@code i} belongs to the group
 * whose cumulative range holds it; within a group it is the slice along dim 0.
 */
public final class Components {
    public static final String FILE = "components.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<ComponentGroup> groups;
    private final long[] starts;
    private final int total;

    public Components(List<ComponentGroup> groups) {
        this.groups = List.copyOf(groups);
        this.starts = new long[groups.size() + 1];
        for (int g = 0; g < groups.size(); g++) {
            starts[g + 1] = starts[g] + groups.get(g).size();
        }
        this.total = Math.toIntExact(starts[groups.size()]);
    }

    /** The parameters of a TorchScript model, read on the CPU: what a spec's component groups are chosen from. */
    public static List<ParameterInfo> parametersOf(java.nio.file.Path model) {
        try (TorchModel loaded = TorchModel.load(model, ai.djl.Device.cpu())) {
            return loaded.parameters();
        }
    }

    /** Weight tensors of conv / linear layers and attention projections: names ending in "weight", ≥ 2 dims. */
    public static List<ParameterInfo> candidates(List<ParameterInfo> parameters) {
        return parameters.stream().filter(Components::isCandidate).toList();
    }

    static boolean isCandidate(ParameterInfo p) {
        return p.name().endsWith("weight") && p.dims() >= 2;
    }

    /** The classifier head: the last candidate, the layer producing the logits in a feed-forward model. */
    public static String headName(List<ParameterInfo> parameters) {
        List<ParameterInfo> candidates = candidates(parameters);
        return candidates.isEmpty() ? null : candidates.getLast().name();
    }

    /**
     * Selects component groups. With no include patterns, every candidate except the classifier
     * head (as the reference setups do); with include patterns, the candidates matching any of them.
     * Exclude patterns then remove groups. Patterns are globs on parameter names ({@code *}, {@code ?}).
     */
    public static Components select(List<ParameterInfo> parameters, List<String> include, List<String> exclude) {
        return select(null, parameters, ComponentPreset.DEFAULT, include, exclude);
    }

    /** As {@link #select(java.nio.file.Path, List, ComponentPreset, List, List)} without a model file to name. */
    public static Components select(List<ParameterInfo> parameters, ComponentPreset preset, List<String> include, List<String> exclude) {
        return select(null, parameters, preset, include, exclude);
    }

    /**
     * Selects component groups from a preset: the preset's groups, or, for {@link ComponentPreset#DEFAULT}
     * with include patterns, the candidates matching any of them; exclude patterns then remove groups.
     * A reference preset with include patterns is refused: both would say which groups to take.
     * Messages name {@code model} (the file the parameters come from) when it is given.
     */
    public static Components select(java.nio.file.Path model, List<ParameterInfo> parameters, ComponentPreset preset,
                                    List<String> include, List<String> exclude) {
        String source = model == null ? "" : model + ": ";
        if (preset != ComponentPreset.DEFAULT) {
            if (!include.isEmpty()) {
                throw new WorkbenchException("--components " + preset.cliName() + " and --include both choose the component groups; "
                        + "give one of them (--exclude may narrow a preset)");
            }
            String head = headName(parameters);
            List<Pattern> excludes = exclude.stream().map(Components::glob).toList();
            List<ComponentGroup> groups = new ArrayList<>();
            for (ParameterInfo p : parameters) {
                if (preset.selects(p, head) && excludes.stream().noneMatch(g -> g.matcher(p.name()).matches())) {
                    groups.add(new ComponentGroup(p.name(), p.shape()[0]));
                }
            }
            if (groups.isEmpty()) {
                throw new WorkbenchException(source + "--components " + preset.cliName() + " selects no parameter of this model (it takes "
                        + preset.description() + "; candidates here: " + String.join(", ", candidates(parameters).stream()
                        .map(ParameterInfo::name).toList()) + "); use --components default or --include");
            }
            return new Components(groups);
        }
        List<ParameterInfo> candidates = candidates(parameters);
        String head = headName(parameters);
        List<Pattern> includes = include.stream().map(Components::glob).toList();
        List<Pattern> excludes = exclude.stream().map(Components::glob).toList();
        List<ComponentGroup> groups = new ArrayList<>();
        for (ParameterInfo p : candidates) {
            boolean selected = includes.isEmpty() ? !p.name().equals(head) : includes.stream().anyMatch(g -> g.matcher(p.name()).matches());
            if (selected && excludes.stream().noneMatch(g -> g.matcher(p.name()).matches())) {
                groups.add(new ComponentGroup(p.name(), p.shape()[0]));
            }
        }
        if (candidates.isEmpty()) {
            throw new WorkbenchException(source + "the model has no weight tensor with 2 or more dimensions (conv, linear or "
                    + "attention projection weights), so it has no components to ablate; its parameters: "
                    + String.join(", ", parameters.stream().map(p -> p.name() + " " + java.util.Arrays.toString(p.shape())).toList()));
        }
        if (groups.isEmpty()) {
            throw new WorkbenchException(source + "no component groups selected by "
                    + (include.isEmpty() ? "" : "--include " + String.join(",", include) + " ")
                    + (exclude.isEmpty() ? "" : "--exclude " + String.join(",", exclude) + " ")
                    + "(candidates: " + String.join(", ", candidates.stream().map(ParameterInfo::name).toList())
                    + "); change --include / --exclude to match some of them");
        }
        return new Components(groups);
    }

    /** How many components each preset selects in a model with {@code parameters}, in preset order; 0 when it selects none. */
    public static java.util.Map<ComponentPreset, Integer> presetTotals(List<ParameterInfo> parameters) {
        java.util.Map<ComponentPreset, Integer> totals = new java.util.LinkedHashMap<>();
        for (ComponentPreset preset : ComponentPreset.values()) {
            try {
                totals.put(preset, select(parameters, preset, List.of(), List.of()).total());
            } catch (WorkbenchException e) {
                totals.put(preset, 0); // the preset selects nothing in this model
            }
        }
        return totals;
    }

    /** The presets whose selection on {@code parameters} has exactly {@code width} components (e.g. a spec's mask width). */
    public static List<ComponentPreset> presetsWithWidth(List<ParameterInfo> parameters, long width) {
        return presetTotals(parameters).entrySet().stream().filter(e -> e.getValue() > 0 && e.getValue() == width)
                .map(java.util.Map.Entry::getKey).toList();
    }

    /**
     * Store rows to build for {@code components} components: about eight per component, rounded up
     * to a thousand, at least 1,000 (the paper used 50,000 for 2,304 components; more rows give better attributions).
     */
    public static long recommendedModels(long components) {
        return Math.max(1000, (components * 8 + 999) / 1000 * 1000);
    }

    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    public List<ComponentGroup> groups() {
        return groups;
    }

    public int total() {
        return total;
    }

    /** Index of the group holding flat component {@code component}. */
    public int groupOf(int component) {
        if (component < 0 || component >= total) {
            throw new IndexOutOfBoundsException("component " + component + " outside 0.." + (total - 1));
        }
        int g = java.util.Arrays.binarySearch(starts, component);
        return g >= 0 ? g : -g - 2;
    }

    public long start(int group) {
        return starts[group];
    }

    /** A readable name, e.g. {@code layer2.conv1 #17}. */
    public String label(int component) {
        int g = groupOf(component);
        String name = groups.get(g).name();
        String layer = name.endsWith(".weight") ? name.substring(0, name.length() - ".weight".length()) : name;
        return layer + " #" + (component - starts[g]);
    }

    /** Writes components.json through a temporary file and an atomic rename. */
    public void write(Path dir) {
        try {
            org.coar.workbench.AtomicFiles.replace(dir.resolve(FILE), temp -> JSON.writeValue(temp.toFile(), groups));
        } catch (IOException e) {
            throw new WorkbenchException(dir.resolve(FILE) + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    public static Components read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            return new Components(JSON.readValue(file.toFile(), new TypeReference<List<ComponentGroup>>() { }));
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot read the component list (" + e.getMessage() + ")", e);
        }
    }

    public static boolean exists(Path dir) {
        return Files.exists(dir.resolve(FILE));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Components c && c.groups.equals(groups);
    }

    @Override
    public int hashCode() {
        return groups.hashCode();
    }

    @Override
    public String toString() {
        return groups.toString();
    }
}
