package org.coar.workbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComponentsTest {

    private static List<ComponentGroup> pytorchGroups(String fixture) throws IOException {
        return new ObjectMapper().readValue(Fixtures.resource("ablation/" + fixture).toFile(), new TypeReference<>() { });
    }

    @Test
    void defaultSelectionMatchesPyTorchForTheDemoCnn() throws IOException {
        try (TorchModel model = TorchModel.load(ModelFixtures.demoModel(), Device.cpu())) {
            Components components = Components.select(model.parameters(), List.of(), List.of());
            assertEquals(pytorchGroups("demo_components.json"), components.groups());
            assertEquals(240, components.total());
            assertEquals("fc2.weight", Components.headName(model.parameters()));
        }
    }

    @Test
    void defaultSelectionMatchesPyTorchForResidualAttentionModel() throws IOException {
        try (TorchModel model = TorchModel.load(ModelFixtures.resmhaModel(), Device.cpu())) {
            Components components = Components.select(model.parameters(), List.of(), List.of());
            assertEquals(pytorchGroups("resmha_components.json"), components.groups());
            assertTrue(components.groups().stream().anyMatch(g -> g.name().equals("attn.in_proj_weight") && g.size() == 96));
        }
    }

    @Test
    void includeAndExcludeGlobs() {
        List<ParameterInfo> params = List.of(new ParameterInfo("conv1.weight", new long[] {8, 3, 3, 3}),
                new ParameterInfo("conv1.bias", new long[] {8}), new ParameterInfo("bn.weight", new long[] {8}),
                new ParameterInfo("layer1.conv.weight", new long[] {16, 8, 3, 3}), new ParameterInfo("fc.weight", new long[] {10, 16}));
        assertEquals(List.of(new ComponentGroup("conv1.weight", 8), new ComponentGroup("layer1.conv.weight", 16)),
                Components.select(params, List.of(), List.of()).groups());
        assertEquals(List.of(new ComponentGroup("layer1.conv.weight", 16), new ComponentGroup("fc.weight", 10)),
                Components.select(params, List.of("layer?.*", "fc.*"), List.of()).groups());
        assertEquals(List.of(new ComponentGroup("conv1.weight", 8)), Components.select(params, List.of(), List.of("layer*")).groups());
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Components.select(params, List.of("nothing*"), List.of()));
        assertTrue(e.getMessage().contains("no component groups selected by --include nothing* (candidates: conv1.weight, "
                + "layer1.conv.weight, fc.weight)"), e.getMessage());
    }

    @Test
    void flatIndicesMapToGroupsAndReadableLabels(@TempDir Path dir) {
        Components components = new Components(List.of(new ComponentGroup("conv1.weight", 32), new ComponentGroup("layer2.conv1.weight", 64)));
        assertEquals(0, components.groupOf(31));
        assertEquals(1, components.groupOf(32));
        assertEquals("layer2.conv1 #17", components.label(32 + 17));
        components.write(dir);
        assertEquals(components, Components.read(dir));
    }
}
