/**
 * Evaluation datasets, decoded once into memory as {@link org.coar.workbench.data.EvalData}
 * (float32 inputs in C order, one integer label per example) by
 * {@link org.coar.workbench.data.DataLoader} from a {@link org.coar.workbench.data.DataSpec}.
 *
 * <h2>Formats</h2>
 * <ul>
 * <li>{@code idx}: MNIST / Fashion-MNIST images and labels files, gzipped or raw; the labels file
 *     defaults to the images file name with {@code images-idx3-ubyte} replaced by
 *     {@code labels-idx1-ubyte}. Examples [1, rows, columns], pixels x / 255.</li>
 * <li>{@code cifar10}: a CIFAR-10 binary batch, or a folder holding {@code test_batch.bin}.
 *     Examples [3, 32, 32], pixels x / 255.</li>
 * <li>{@code npy}: inputs (N, ...) of float32/float64/float16 (as they are) or uint8 (x / 255),
 *     labels (N,) of an integer dtype.</li>
 * <li>{@code images}: torchvision's ImageFolder layout, one subfolder per class (every subfolder,
 *     hidden ones included, as torchvision counts them), image files at any depth. Examples [3, H, W].</li>
 * <li>{@code tokens}: token ids (N, T) of an integer dtype for a language model, right-padded, with the
 *     padding as an attention mask (N, T) or lengths (N,) ({@code attentionMask}); examples [T] of ids,
 *     every label 0, {@link org.coar.workbench.data.EvalData#tokenLengths()} the real tokens per sequence.
 *     No preprocessing but subsampling.</li>
 * </ul>
 *
 * <h2>Preprocessing, in order</h2>
 * <ol>
 * <li>Subsample like the reference {@code subsample_skip}: indices 0, skip, 2*skip, ..., then the
 *     first {@code limit} of them. Only the kept examples are converted (images: decoded).</li>
 * <li>Resize and center-crop ({@code resize}, {@code crop}) as torchvision's {@code Resize(int)} and
 *     {@code CenterCrop(int)}; see {@code ImageTransform} for the resampling and how it differs from
 *     Pillow's (at most one 8-bit level). They apply to any format whose examples are (C, H, W), and
 *     are what makes image folders of mixed sizes usable.</li>
 * <li>Normalise per channel, (x - mean[c]) / std[c] in float32, as torchvision's {@code Normalize};
 *     examples of shape (C, H, W) have C channels, other shapes one.</li>
 * </ol>
 * Inputs live in one Java array, so size x example length must stay below 2^31 (about 14,000
 * ImageNet-size 3x224x224 examples); larger sets are refused with advice to use --limit or --skip.
 */
package org.coar.workbench.data;
