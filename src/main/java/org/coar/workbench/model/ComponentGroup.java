package org.coar.workbench.model;

/** One weight tensor whose slices along dim 0 are components; as written in components.json. */
public record ComponentGroup(String name, long size) {
}
