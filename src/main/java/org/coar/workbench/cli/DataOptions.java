package org.coar.workbench.cli;

import java.nio.file.Path;
import org.coar.workbench.data.DataSpec;
import picocli.CommandLine.Option;

/** The evaluation-data options shared by the commands that run a model. */
final class DataOptions {
    @Option(names = "--data", paramLabel = "PATH",
            description = "Evaluation data: IDX images file (.gz or raw), CIFAR-10 batch (.bin) or folder, inputs .npy, an image folder (one subfolder per class), or token ids .npy (N, T) for a language model.")
    Path data;

    @Option(names = "--data-format", paramLabel = "FORMAT", description = "idx, cifar10, npy, images or tokens (default: detected from --data; tokens with --attention-mask).")
    String format;

    @Option(names = "--labels", paramLabel = "PATH", description = "Labels file: IDX labels (default: next to the images) or labels .npy (required with npy inputs).")
    Path labels;

    @Option(names = "--attention-mask", paramLabel = "PATH", description = "Token data: the padding of the right-padded sequences, as an attention mask .npy (N, T) of 1/0 or lengths .npy (N,) (default: no padding).")
    Path attentionMask;

    @Option(names = "--limit", paramLabel = "N", description = "Use at most N examples (after --skip).")
    Integer limit;

    @Option(names = "--skip", paramLabel = "K", description = "Use every K-th example (indices 0, K, 2K, ...), like the reference subsample_skip. Default 1.")
    Integer skip;

    @Option(names = "--resize", paramLabel = "PIXELS", description = "Images (C,H,W): resize the shorter side to PIXELS (antialiased bilinear, like torchvision Resize).")
    Integer resize;

    @Option(names = "--crop", paramLabel = "PIXELS", description = "Images (C,H,W): centre-crop to PIXELS x PIXELS after resizing.")
    Integer crop;

    @Option(names = "--mean", split = ",", paramLabel = "M", description = "Per-channel mean to subtract, e.g. 0.485,0.456,0.406.")
    float[] mean;

    @Option(names = "--std", split = ",", paramLabel = "S", description = "Per-channel std to divide by, e.g. 0.229,0.224,0.225.")
    float[] std;

    /** The spec for these options as given (resolved by the build service), or null when no --data was given. */
    DataSpec toSpec() {
        if (data == null) {
            return null;
        }
        return DataSpec.builder().setPath(data.toString()).optFormat(format).optLabels(labels == null ? null : labels.toString())
                .optLimit(limit).optSkip(skip).optResize(resize).optCrop(crop).optMean(mean).optStd(std)
                .optAttentionMask(attentionMask == null ? null : attentionMask.toString()).build();
    }
}
