package org.coar.workbench.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.coar.workbench.WorkbenchException;

/**
 * Named component selections. {@link #DEFAULT} is the workbench's own; the others reproduce the
 * selections of the reference setups (MadryLab/modelcomponents, {@code get_model_components} in each
 * {@code make_dataset.py}) exactly, group for group and in the same order, so that a reference
 * spec's mask width and mask layout mean the same components here.
 * <p>
 * The reference decides by module name and type; a TorchScript model exposes parameter names and
 * shapes, which are enough: a module's weight is its name plus {@code .weight}, a Conv2d weight has
 * 4 dimensions, a Linear (or HF Conv1D) weight 2.
 */
public enum ComponentPreset {
    /** Every conv / linear weight and attention {@code in_proj_weight}, except the classifier head. */
    DEFAULT("default", "every conv/linear weight and attention in_proj_weight except the classifier head (the last one)"),
    /** ResNets (CIFAR-10, ImageNet ResNet-50): Conv2d layers whose module name contains {@code conv}. */
    REFERENCE_RESNET("reference-resnet", "the reference's ResNet setups: Conv2d weights whose module name contains 'conv' "
            + "(no downsample or shortcut convs, no linear layers)"),
    /** ViT-B/16: every {@code nn.Linear} weight and {@code MultiheadAttention.in_proj_weight} outside {@code heads}. */
    REFERENCE_VIT("reference-vit", "the reference's ViT setup: every linear weight and attention in_proj_weight outside "
            + "'heads' (no patch-embedding conv)"),
    /** GPT-2: the HF Conv1D weights {@code attn.c_attn}, {@code attn.c_proj}, {@code mlp.c_fc}, {@code mlp.c_proj}. */
    REFERENCE_GPT2("reference-gpt2", "the reference's GPT-2 setup: attn.c_attn, attn.c_proj, mlp.c_fc and mlp.c_proj of "
            + "every block (HF Conv1D weights are (in, out), so a component is an input row)");

    private static final List<String> GPT2_MODULES = List.of("attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj");

    private final String cliName;
    private final String description;

    ComponentPreset(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    /** Whether this preset takes {@code p} as a component group; {@code head} is the model's classifier head (for DEFAULT). */
    boolean selects(ParameterInfo p, String head) {
        String name = p.name();
        String module = name.endsWith(".weight") ? name.substring(0, name.length() - ".weight".length()) : null;
        return switch (this) {
            case DEFAULT -> Components.isCandidate(p) && !name.equals(head);
            case REFERENCE_RESNET -> module != null && module.contains("conv") && p.dims() == 4;
            case REFERENCE_VIT -> !name.startsWith("heads")
                    && ((module != null && p.dims() == 2) || (name.endsWith("in_proj_weight") && p.dims() == 2));
            case REFERENCE_GPT2 -> module != null && p.dims() == 2 && GPT2_MODULES.stream().anyMatch(module::endsWith);
        };
    }

    /** The preset for a name as given to {@code --components} or recorded in run.json; null means {@link #DEFAULT}. */
    public static ComponentPreset parse(String name) {
        if (name == null || name.isBlank()) {
            return DEFAULT;
        }
        for (ComponentPreset preset : values()) {
            if (preset.cliName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return preset;
            }
        }
        throw new WorkbenchException("--components " + name + ": not a component preset; use one of " + names());
    }

    /** The preset names, comma-separated, for messages and help. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(ComponentPreset::cliName).toList());
    }

    @Override
    public String toString() {
        return cliName;
    }
}
