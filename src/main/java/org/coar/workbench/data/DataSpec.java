package org.coar.workbench.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.coar.workbench.WorkbenchException;

/**
 * How to find and preprocess the evaluation data, as recorded in a store's {@code run.json}.
 * Every field may be null (absent from JSON), meaning its default:
 *
 * @param format {@code idx}, {@code cifar10}, {@code npy}, {@code images} or {@code tokens}; null: detected from {@code path}
 *               ({@code tokens} when {@code attentionMask} is given)
 * @param path   the data file or folder
 * @param labels the labels file: required for {@code npy}, derived from the images file name for {@code idx},
 *               not used by {@code cifar10} and {@code images} (their labels come with the data)
 * @param limit  keep at most this many examples (after {@code skip}); null: all
 * @param skip   keep every {@code skip}-th example, i.e. indices 0, skip, 2*skip, ...; null: 1
 * @param resize resize so that the shorter image side is this long (torchvision {@code Resize(int)}); null: no resize
 * @param crop   center-crop to {@code crop x crop} after resizing (torchvision {@code CenterCrop}); null: no crop
 * @param mean   per-channel mean subtracted after scaling to [0, 1]; null: no normalisation
 * @param std    per-channel standard deviation divided by after subtracting {@code mean}; given with {@code mean}
 * @param attentionMask for {@code tokens}: an .npy of the attention mask (N, T) or of the lengths (N,) of the right-padded
 *               token sequences; null: every sequence fills all T positions
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataSpec(String format, String path, String labels, Integer limit, Integer skip,
                       Integer resize, Integer crop, float[] mean, float[] std, String attentionMask) {

    /** The data at {@code path}, everything else default; short for {@code builder().setPath(path).build()}. */
    public static DataSpec of(String path) {
        return builder().setPath(path).build();
    }

    /** A builder with every setting default; {@link Builder#setPath} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this spec, to change some of it. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a {@link DataSpec}: {@code setPath} is required, each {@code optX} sets one optional field. */
    public static final class Builder {
        private String format;
        private String path;
        private String labels;
        private Integer limit;
        private Integer skip;
        private Integer resize;
        private Integer crop;
        private float[] mean;
        private float[] std;
        private String attentionMask;

        private Builder() {
        }

        private Builder(DataSpec spec) {
            format = spec.format;
            path = spec.path;
            labels = spec.labels;
            limit = spec.limit;
            skip = spec.skip;
            resize = spec.resize;
            crop = spec.crop;
            mean = spec.mean;
            std = spec.std;
            attentionMask = spec.attentionMask;
        }

        public Builder setPath(String file) {
            path = file;
            return this;
        }

        /** Null: detected from the path. */
        public Builder optFormat(String name) {
            format = name;
            return this;
        }

        public Builder optLabels(String file) {
            labels = file;
            return this;
        }

        public Builder optLimit(Integer examples) {
            limit = examples;
            return this;
        }

        public Builder optSkip(Integer every) {
            skip = every;
            return this;
        }

        public Builder optResize(Integer pixels) {
            resize = pixels;
            return this;
        }

        public Builder optCrop(Integer pixels) {
            crop = pixels;
            return this;
        }

        public Builder optMean(float[] perChannel) {
            mean = perChannel;
            return this;
        }

        public Builder optStd(float[] perChannel) {
            std = perChannel;
            return this;
        }

        public Builder optAttentionMask(String file) {
            attentionMask = file;
            return this;
        }

        public DataSpec build() {
            if (path == null) {
                throw new IllegalStateException("a DataSpec needs its data's path: call setPath");
            }
            return new DataSpec(format, path, labels, limit, skip, resize, crop, mean, std, attentionMask);
        }
    }

    public int effectiveSkip() {
        return skip == null ? 1 : skip;
    }

    public int effectiveLimit() {
        return limit == null ? Integer.MAX_VALUE : limit;
    }

    /** Checks the values that do not depend on the data; the message names the command-line option to fix. */
    public void validate() {
        if (path == null || path.isBlank()) {
            throw new WorkbenchException("no evaluation data given: pass --data FILE_OR_FOLDER");
        }
        if (format != null && !DataLoader.FORMATS.contains(format.toLowerCase(Locale.ROOT))) {
            throw new WorkbenchException("--data-format " + format + " is not a data format; use one of "
                    + String.join(", ", DataLoader.FORMATS) + " (or leave it out to detect it from " + path + ")");
        }
        requireAtLeastOne("--limit", limit);
        requireAtLeastOne("--skip", skip);
        requireAtLeastOne("--resize", resize);
        requireAtLeastOne("--crop", crop);
        if ((mean == null) != (std == null)) {
            throw new WorkbenchException("--mean and --std go together: normalisation computes (x - mean) / std "
                    + "per channel; pass both (e.g. --mean 0.4914,0.4822,0.4465 --std 0.2470,0.2435,0.2616) or neither");
        }
        if (mean != null) {
            if (mean.length != std.length) {
                throw new WorkbenchException("--mean has " + mean.length + " values but --std has " + std.length
                        + "; pass one value per channel to each");
            }
            for (int c = 0; c < mean.length; c++) {
                if (!Float.isFinite(mean[c])) {
                    throw new WorkbenchException("--mean value " + (c + 1) + " is " + mean[c] + "; pass finite numbers");
                }
                if (!Float.isFinite(std[c]) || std[c] <= 0) {
                    throw new WorkbenchException("--std value " + (c + 1) + " is " + std[c]
                            + "; standard deviations must be positive numbers");
                }
            }
        }
    }

    private static void requireAtLeastOne(String option, Integer value) {
        if (value != null && value < 1) {
            throw new WorkbenchException(option + " must be at least 1, got " + value);
        }
    }

    // Records compare arrays by identity; a spec is a value, so compare mean and std by content.
    @Override
    public boolean equals(Object o) {
        return o instanceof DataSpec other
                && Objects.equals(format, other.format) && Objects.equals(path, other.path)
                && Objects.equals(labels, other.labels) && Objects.equals(limit, other.limit)
                && Objects.equals(skip, other.skip) && Objects.equals(resize, other.resize)
                && Objects.equals(crop, other.crop) && Arrays.equals(mean, other.mean) && Arrays.equals(std, other.std)
                && Objects.equals(attentionMask, other.attentionMask);
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, path, labels, limit, skip, resize, crop, Arrays.hashCode(mean), Arrays.hashCode(std), attentionMask);
    }

    @Override
    public String toString() {
        return "DataSpec[format=" + format + ", path=" + path + ", labels=" + labels + ", limit=" + limit + ", skip=" + skip
                + ", resize=" + resize + ", crop=" + crop + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std)
                + (attentionMask == null ? "" : ", attentionMask=" + attentionMask) + "]";
    }
}
