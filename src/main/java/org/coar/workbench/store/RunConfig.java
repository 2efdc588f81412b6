package org.coar.workbench.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.coar.workbench.AtomicFiles;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.model.ModelOutput;

/**
 * How a store's rows are made, recorded in the store's {@code run.json} so that a later
 * {@code coar build --store DIR} resumes with nothing else, and so results carry their provenance.
 *
 * @param model          TorchScript file (absolute path)
 * @param modelSha256    SHA-256 of the model file, checked on every resume
 * @param data           evaluation data and its preprocessing
 * @param output         output function: margin, logprob or loss
 * @param maskArray      store array holding keep-masks
 * @param outputArray    store array holding outputs
 * @param alpha          probability that each component is ablated in a row
 * @param seed           seed of the per-row masks
 * @param include        component group globs to include (empty: all but the classifier head)
 * @param exclude        component group globs to exclude
 * @param created        ISO-8601 time the run was first recorded
 * @param workbenchVersion version of the workbench that recorded it
 * @param outputElement  which element of a tuple/list/dict forward output holds the logits (an index or a key);
 *                       null: the model returns one tensor ({@link ModelOutput})
 * @param components     component preset ({@link org.coar.workbench.model.ComponentPreset}); null: default
 *                       (run.json files written before presets existed have none)
 * @param autocast       whether forward passes ran under CUDA autocast (float16 mixed precision, as the
 *                       reference's {@code torch.cuda.amp.autocast()}); null in run.json files from before
 *                       the option, which means off
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunConfig(String model, String modelSha256, DataSpec data, String output, String maskArray, String outputArray,
                        Double alpha, Long seed, List<String> include, List<String> exclude, String created,
                        String workbenchVersion, String outputElement, String components, Boolean autocast) {
    public static final String FILE = "run.json";

    /** The component preset these rows were made with. */
    public org.coar.workbench.model.ComponentPreset componentPreset() {
        return org.coar.workbench.model.ComponentPreset.parse(components);
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public RunConfig {
        include = include == null ? List.of() : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }

    /** Which tensor of the model's output to take the logits from. */
    public ModelOutput modelOutput() {
        return ModelOutput.parse(outputElement);
    }

    /** Whether rows are made under autocast; false where run.json predates the setting. */
    public boolean usesAutocast() {
        return Boolean.TRUE.equals(autocast);
    }

    /** A builder with every setting absent (null: "as recorded", or the default on a first build). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a {@link RunConfig}; every setting is optional, each {@code optX} sets one. */
    public static final class Builder {
        private String model;
        private String modelSha256;
        private DataSpec data;
        private String output;
        private String maskArray;
        private String outputArray;
        private Double alpha;
        private Long seed;
        private List<String> include = List.of();
        private List<String> exclude = List.of();
        private String created;
        private String workbenchVersion;
        private String outputElement;
        private String components;
        private Boolean autocast;

        private Builder() {
        }

        private Builder(RunConfig r) {
            model = r.model;
            modelSha256 = r.modelSha256;
            data = r.data;
            output = r.output;
            maskArray = r.maskArray;
            outputArray = r.outputArray;
            alpha = r.alpha;
            seed = r.seed;
            include = r.include;
            exclude = r.exclude;
            created = r.created;
            workbenchVersion = r.workbenchVersion;
            outputElement = r.outputElement;
            components = r.components;
            autocast = r.autocast;
        }

        public Builder optModel(String file) {
            model = file;
            return this;
        }

        public Builder optModelSha256(String sha256) {
            modelSha256 = sha256;
            return this;
        }

        public Builder optData(DataSpec spec) {
            data = spec;
            return this;
        }

        public Builder optOutput(String function) {
            output = function;
            return this;
        }

        public Builder optMaskArray(String name) {
            maskArray = name;
            return this;
        }

        public Builder optOutputArray(String name) {
            outputArray = name;
            return this;
        }

        public Builder optAlpha(Double value) {
            alpha = value;
            return this;
        }

        public Builder optSeed(Long value) {
            seed = value;
            return this;
        }

        public Builder optInclude(List<String> globs) {
            include = globs;
            return this;
        }

        public Builder optExclude(List<String> globs) {
            exclude = globs;
            return this;
        }

        public Builder optCreated(String time) {
            created = time;
            return this;
        }

        public Builder optWorkbenchVersion(String version) {
            workbenchVersion = version;
            return this;
        }

        public Builder optOutputElement(String element) {
            outputElement = element;
            return this;
        }

        /** The component preset's name; null for the default. */
        public Builder optComponents(String preset) {
            components = preset;
            return this;
        }

        public Builder optAutocast(Boolean value) {
            autocast = value;
            return this;
        }

        public RunConfig build() {
            return new RunConfig(model, modelSha256, data, output, maskArray, outputArray, alpha, seed, include, exclude, created,
                    workbenchVersion, outputElement, components, autocast);
        }
    }

    public static boolean exists(Path storeDir) {
        return Files.exists(storeDir.resolve(FILE));
    }

    /**
     * The run settings of the store in {@code storeDir}, with the model and data paths as they are now
     * ({@link StorePaths}: a store that was moved or copied finds its files again); {@link #readAsRecorded} gives them as written.
     */
    public static RunConfig read(Path storeDir) {
        return StorePaths.resolve(storeDir, readAsRecorded(storeDir));
    }

    /** run.json as written, paths unresolved. */
    public static RunConfig readAsRecorded(Path storeDir) {
        Path file = storeDir.resolve(FILE);
        try {
            return JSON.readValue(file.toFile(), RunConfig.class);
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot read the run settings (" + e.getMessage() + ")", e);
        }
    }

    /** Writes run.json through a temporary file and a rename, so a crash never leaves half a file. */
    public void write(Path storeDir) {
        Path file = storeDir.resolve(FILE);
        try {
            AtomicFiles.replace(file, temp -> JSON.writeValue(temp.toFile(), this));
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot write the run settings (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Records run.json only if the store has none: of two first builds racing, exactly one records
     * its settings; the other gets false and must compare its settings with what won.
     */
    public boolean writeIfAbsent(Path storeDir) {
        Path file = storeDir.resolve(FILE);
        try {
            return AtomicFiles.createExclusively(file, temp -> JSON.writeValue(temp.toFile(), this));
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot write the run settings (" + e.getMessage() + ")", e);
        }
    }

    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[1 << 16];
            MessageDigest digest = ((DigestInputStream) in).getMessageDigest();
            while (in.read(buffer) >= 0) {
                // digest updates as it reads
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
