package org.coar.workbench.npy;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The numpy element types a store may hold, with numpy's names and .npy descriptors. */
public enum Dtype {
    BOOL("bool_", "|b1", 1, "bool", "?", "b1", "bool8"),
    UINT8("uint8", "|u1", 1, "u1", "ubyte"),
    INT8("int8", "|i1", 1, "i1", "byte"),
    INT16("int16", "<i2", 2, "i2", "short"),
    INT32("int32", "<i4", 4, "i4", "intc"),
    INT64("int64", "<i8", 8, "i8", "longlong"),
    FLOAT16("float16", "<f2", 2, "f2", "half"),
    FLOAT32("float32", "<f4", 4, "f4", "single"),
    FLOAT64("float64", "<f8", 8, "f8", "double");

    private final String numpyName;
    private final String descr;
    private final int itemSize;
    private final List<String> aliases;

    Dtype(String numpyName, String descr, int itemSize, String... aliases) {
        this.numpyName = numpyName;
        this.descr = descr;
        this.itemSize = itemSize;
        this.aliases = List.of(aliases);
    }

    /** The attribute of the numpy module, as the reference {@code getattr(np, dtype)} resolves it. */
    public String numpyName() {
        return numpyName;
    }

    /** The {@code descr} written in .npy headers, e.g. {@code <f4}. */
    public String descr() {
        return descr;
    }

    public int itemSize() {
        return itemSize;
    }

    /** Resolves a dtype as numpy spells it in a spec: {@code float16}, {@code bool_}, {@code f2}, {@code <f2}. */
    public static Optional<Dtype> fromNumpyName(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (Dtype dtype : values()) {
            if (dtype.numpyName.equals(key) || dtype.aliases.contains(key) || dtype.descr.equals(key)
                    || (key.length() == 3 && (key.charAt(0) == '<' || key.charAt(0) == '|' || key.charAt(0) == '=')
                        && dtype.descr.substring(1).equals(key.substring(1)))) {
                return Optional.of(dtype);
            }
        }
        return Optional.empty();
    }

    /** Resolves a little-endian or byte-order-free .npy descriptor; anything else is empty. */
    public static Optional<Dtype> fromDescr(String descr) {
        return Arrays.stream(values()).filter(d -> d.descr.equals(descr)
                || (d.itemSize == 1 && descr.length() == 3 && descr.charAt(0) == '<'
                    && descr.substring(1).equals(d.descr.substring(1)))).findFirst();
    }

    public static String supportedNames() {
        return Arrays.stream(values()).map(Dtype::numpyName).collect(Collectors.joining(", "));
    }
}
