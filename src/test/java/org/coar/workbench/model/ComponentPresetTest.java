package org.coar.workbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * The presets against the reference's own selection, which tools/make_architecture_fixtures.py
 * computes on the real torchvision ResNet-50 and ViT-B/16 and a GPT-2-small-shaped model by module
 * type (the reference's get_model_components), not by the names and shapes the presets use.
 */
class ComponentPresetTest {

    private record Architecture(List<ParameterInfo> parameters, List<ComponentGroup> reference) {
    }

    private static Architecture architecture(String name) throws IOException {
        JsonNode doc = new ObjectMapper().readTree(Fixtures.resource("architectures/" + name + ".json").toFile());
        List<ParameterInfo> parameters = new ArrayList<>();
        for (JsonNode p : doc.get("parameters")) {
            long[] shape = new long[p.get("shape").size()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = p.get("shape").get(d).asLong();
            }
            parameters.add(new ParameterInfo(p.get("name").asText(), shape));
        }
        List<ComponentGroup> reference = new ArrayList<>();
        for (JsonNode g : doc.get("reference_components")) {
            reference.add(new ComponentGroup(g.get("name").asText(), g.get("size").asLong()));
        }
        return new Architecture(parameters, reference);
    }

    @Test
    void referenceResnetReproducesTheReferenceSelectionOnResnet50() throws IOException {
        Architecture resnet = architecture("resnet50");
        Components selected = Components.select(resnet.parameters(), ComponentPreset.REFERENCE_RESNET, List.of(), List.of());
        assertEquals(resnet.reference(), selected.groups());
        assertEquals(22_720, selected.total());
        assertTrue(selected.groups().stream().noneMatch(g -> g.name().contains("downsample")));
        // the workbench's default adds the downsample convs
        assertEquals(26_560, Components.select(resnet.parameters(), List.of(), List.of()).total());
    }

    @Test
    void referenceVitReproducesTheReferenceSelectionOnVitB16() throws IOException {
        Architecture vit = architecture("vit_b_16");
        Components selected = Components.select(vit.parameters(), ComponentPreset.REFERENCE_VIT, List.of(), List.of());
        assertEquals(vit.reference(), selected.groups());
        assertEquals(82_944, selected.total());
        assertEquals(12 * (2_304 + 768 + 3_072 + 768), selected.total());
        // the workbench's default adds the patch-embedding conv
        assertEquals(83_712, Components.select(vit.parameters(), List.of(), List.of()).total());
    }

    @Test
    void referenceGpt2ReproducesTheReferenceSelectionOnGpt2Small() throws IOException {
        Architecture gpt2 = architecture("gpt2_small");
        Components selected = Components.select(gpt2.parameters(), ComponentPreset.REFERENCE_GPT2, List.of(), List.of());
        assertEquals(gpt2.reference(), selected.groups());
        assertEquals(64_512, selected.total());
        // Conv1D weights are (in, out): c_fc (768, 3072) gives 768 components, mlp.c_proj (3072, 768) gives 3072
        assertEquals(new ComponentGroup("transformer.h.0.mlp.c_fc.weight", 768), selected.groups().get(2));
        assertEquals(new ComponentGroup("transformer.h.0.mlp.c_proj.weight", 3_072), selected.groups().get(3));
    }

    @Test
    void theMatchingPresetIsFoundFromAMaskWidth() throws IOException {
        assertEquals(List.of(ComponentPreset.REFERENCE_RESNET), Components.presetsWithWidth(architecture("resnet50").parameters(), 22_720));
        assertEquals(List.of(ComponentPreset.REFERENCE_VIT), Components.presetsWithWidth(architecture("vit_b_16").parameters(), 82_944));
        assertEquals(List.of(ComponentPreset.REFERENCE_GPT2), Components.presetsWithWidth(architecture("gpt2_small").parameters(), 64_512));
        assertEquals(List.of(), Components.presetsWithWidth(architecture("resnet50").parameters(), 12_345));
    }

    @Test
    void theTorchScriptGpt2ListsTheTiedHeadAndThePresetIgnoresIt() {
        try (TorchModel model = TorchModel.load(Fixtures.resource("lm/tiny_gpt2.pt"), Device.cpu())) {
            List<ParameterInfo> parameters = model.parameters();
            assertTrue(parameters.stream().anyMatch(p -> p.name().equals("lm_head.weight")), parameters.toString());
            Components selected = Components.select(parameters, ComponentPreset.REFERENCE_GPT2, List.of(), List.of());
            assertEquals(2 * (16 + 16 + 16 + 64), selected.total());
            assertEquals(new ComponentGroup("transformer.h.0.attn.c_attn.weight", 16), selected.groups().getFirst());
        }
    }

    @Test
    void aReferencePresetWithIncludeIsRefusedAndExcludeNarrowsIt() throws IOException {
        Architecture vit = architecture("vit_b_16");
        WorkbenchException both = assertThrows(WorkbenchException.class,
                () -> Components.select(vit.parameters(), ComponentPreset.REFERENCE_VIT, List.of("encoder.*"), List.of()));
        assertTrue(both.getMessage().contains("--components reference-vit and --include both choose"), both.getMessage());
        Components narrowed = Components.select(vit.parameters(), ComponentPreset.REFERENCE_VIT, List.of(), List.of("*mlp*"));
        assertEquals(12 * (2_304 + 768), narrowed.total());
    }

    @Test
    void aPresetThatSelectsNothingSaysWhatItTakes() throws IOException {
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Components.select(architecture("resnet50").parameters(),
                ComponentPreset.REFERENCE_GPT2, List.of(), List.of()));
        assertTrue(e.getMessage().contains("--components reference-gpt2 selects no parameter of this model"), e.getMessage());
        assertTrue(e.getMessage().contains("use --components default or --include"), e.getMessage());
    }

    @Test
    void presetNamesParseAndUnknownOnesAreRefused() {
        assertEquals(ComponentPreset.DEFAULT, ComponentPreset.parse(null));
        assertEquals(ComponentPreset.REFERENCE_VIT, ComponentPreset.parse("Reference-ViT"));
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> ComponentPreset.parse("resnet"));
        assertEquals("--components resnet: not a component preset; use one of default, reference-resnet, reference-vit, reference-gpt2",
                e.getMessage());
    }
}
