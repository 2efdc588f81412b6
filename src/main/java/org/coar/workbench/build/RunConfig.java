package org.coar.workbench.build;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.DataSpec;

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
 * @param autocast       whether forward passes ran under CUDA autocast (float16 mixed precision, as the
 *                       reference's {@code torch.cuda.amp.autocast()}); null in run.json files from before
 *                       the option, which means off
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunConfig(String model, String modelSha256, DataSpec data, String output, String maskArray, String outputArray,
                        Double alpha, Long seed, List<String> include, List<String> exclude, String created,
                        String workbenchVersion, Boolean autocast) {
    public static final String FILE = "run.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public RunConfig {
        include = include == null ? List.of() : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }

    /** Settings without an autocast choice (as recorded, or off for a new store). */
    public RunConfig(String model, String modelSha256, DataSpec data, String output, String maskArray, String outputArray,
                     Double alpha, Long seed, List<String> include, List<String> exclude, String created, String workbenchVersion) {
        this(model, modelSha256, data, output, maskArray, outputArray, alpha, seed, include, exclude, created, workbenchVersion, null);
    }

    /** Whether rows are made under autocast; false where run.json predates the setting. */
    public boolean usesAutocast() {
        return Boolean.TRUE.equals(autocast);
    }

    public RunConfig withAutocast(Boolean value) {
        return new RunConfig(model, modelSha256, data, output, maskArray, outputArray, alpha, seed, include, exclude, created,
                workbenchVersion, value);
    }

    public static boolean exists(Path storeDir) {
        return Files.exists(storeDir.resolve(FILE));
    }

    public static RunConfig read(Path storeDir) {
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
            // A unique temporary name: several processes may record the same run at once.
            Path temp = Files.createTempFile(storeDir, FILE, ".tmp");
            JSON.writeValue(temp.toFile(), this);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
