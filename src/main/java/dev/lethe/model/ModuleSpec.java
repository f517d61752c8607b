package dev.lethe.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One node of an architecture description: a standard PyTorch module, written in JSON with the
 * module's class name as {@code "type"} and its constructor arguments under PyTorch's own
 * argument names. Optional arguments are null here and take PyTorch's defaults in the
 * {@link Compiler}. {@code name} is the attribute name under the parent module, so state-dict
 * names arise exactly as in PyTorch: the path of names joined with dots; a child of a
 * {@link Sequential} without a name is named by its index, like {@code nn.Sequential(*modules)}.
 *
 * <p>Kernels, strides and paddings are square (one integer), as in every shipped network.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ModuleSpec.Conv2d.class, name = "Conv2d"),
    @JsonSubTypes.Type(value = ModuleSpec.Linear.class, name = "Linear"),
    @JsonSubTypes.Type(value = ModuleSpec.BatchNorm2d.class, name = "BatchNorm2d"),
    @JsonSubTypes.Type(value = ModuleSpec.LayerNorm.class, name = "LayerNorm"),
    @JsonSubTypes.Type(value = ModuleSpec.ReLU.class, name = "ReLU"),
    @JsonSubTypes.Type(value = ModuleSpec.GELU.class, name = "GELU"),
    @JsonSubTypes.Type(value = ModuleSpec.Identity.class, name = "Identity"),
    @JsonSubTypes.Type(value = ModuleSpec.Flatten.class, name = "Flatten"),
    @JsonSubTypes.Type(value = ModuleSpec.Dropout.class, name = "Dropout"),
    @JsonSubTypes.Type(value = ModuleSpec.MaxPool2d.class, name = "MaxPool2d"),
    @JsonSubTypes.Type(value = ModuleSpec.AvgPool2d.class, name = "AvgPool2d"),
    @JsonSubTypes.Type(value = ModuleSpec.AdaptiveAvgPool2d.class, name = "AdaptiveAvgPool2d"),
    @JsonSubTypes.Type(value = ModuleSpec.Sequential.class, name = "Sequential"),
    @JsonSubTypes.Type(value = ModuleSpec.BasicBlock.class, name = "BasicBlock"),
    @JsonSubTypes.Type(value = ModuleSpec.Bottleneck.class, name = "Bottleneck"),
    @JsonSubTypes.Type(value = ModuleSpec.Tokens.class, name = "Tokens"),
    @JsonSubTypes.Type(value = ModuleSpec.ClassToken.class, name = "ClassToken"),
    @JsonSubTypes.Type(value = ModuleSpec.PositionEmbedding.class, name = "PositionEmbedding"),
    @JsonSubTypes.Type(value = ModuleSpec.MultiheadAttention.class, name = "MultiheadAttention"),
    @JsonSubTypes.Type(value = ModuleSpec.EncoderBlock.class, name = "EncoderBlock"),
    @JsonSubTypes.Type(value = ModuleSpec.SelectToken.class, name = "SelectToken"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ModuleSpec {
    /** The attribute name under the parent module; null: the index in the parent's list. */
    String name();

    /** {@code nn.Conv2d}: weight (out, in / groups, k, k), bias (out) unless {@code bias} is false. */
    record Conv2d(String name,
                  @JsonProperty(value = "in_channels", required = true) int inChannels,
                  @JsonProperty(value = "out_channels", required = true) int outChannels,
                  @JsonProperty(value = "kernel_size", required = true) int kernelSize,
                  Integer stride, Integer padding, Integer dilation, Integer groups, Boolean bias)
            implements ModuleSpec { }

    /** {@code nn.Linear}: weight (out, in), bias (out); applies to the last axis (samples or tokens). */
    record Linear(String name,
                  @JsonProperty(value = "in_features", required = true) int inFeatures,
                  @JsonProperty(value = "out_features", required = true) int outFeatures,
                  Boolean bias) implements ModuleSpec { }

    /** {@code nn.BatchNorm2d}: weight, bias, running_mean, running_var, num_batches_tracked. */
    record BatchNorm2d(String name,
                       @JsonProperty(value = "num_features", required = true) int numFeatures,
                       Double eps, Double momentum) implements ModuleSpec { }

    /** {@code nn.LayerNorm} over the last axis: weight, bias. */
    record LayerNorm(String name,
                     @JsonProperty(value = "normalized_shape", required = true) int normalizedShape,
                     Double eps) implements ModuleSpec { }

    record ReLU(String name) implements ModuleSpec { }

    /** {@code nn.GELU()} with PyTorch's default, the exact (erf) form. */
    record GELU(String name) implements ModuleSpec { }

    record Identity(String name) implements ModuleSpec { }

    /** {@code nn.Flatten()}: everything after the batch axis into one. */
    record Flatten(String name) implements ModuleSpec { }

    /** {@code nn.Dropout(p)}: zeroes with probability p in training, the identity at inference. */
    record Dropout(String name, Double p) implements ModuleSpec { }

    /** {@code nn.MaxPool2d}: stride defaults to the kernel size. */
    record MaxPool2d(String name,
                     @JsonProperty(value = "kernel_size", required = true) int kernelSize,
                     Integer stride, Integer padding) implements ModuleSpec { }

    /** {@code nn.AvgPool2d} (count_include_pad, floor mode: PyTorch's defaults). */
    record AvgPool2d(String name,
                     @JsonProperty(value = "kernel_size", required = true) int kernelSize,
                     Integer stride, Integer padding) implements ModuleSpec { }

    /** {@code nn.AdaptiveAvgPool2d(output_size)}, square output. */
    record AdaptiveAvgPool2d(String name,
                             @JsonProperty(value = "output_size", required = true) int outputSize)
            implements ModuleSpec { }

    /** {@code nn.Sequential}: children applied in order. */
    record Sequential(String name, @JsonProperty(value = "modules", required = true) List<ModuleSpec> modules)
            implements ModuleSpec { }

    /**
     * torchvision's {@code BasicBlock}: conv1 (3x3, stride), bn1, relu, conv2 (3x3), bn2, plus
     * the input or, when the stride or width changes, {@code downsample.0} (1x1 conv, stride)
     * and {@code downsample.1} (BatchNorm); relu.
     */
    record BasicBlock(String name,
                      @JsonProperty(value = "inplanes", required = true) int inplanes,
                      @JsonProperty(value = "planes", required = true) int planes,
                      Integer stride) implements ModuleSpec { }

    /**
     * torchvision's {@code Bottleneck} (ResNet v1.5, stride on the 3x3): conv1 (1x1), bn1,
     * conv2 (3x3, stride, groups), bn2, conv3 (1x1 to planes * 4), bn3, and
     * {@code downsample.0/1} when the stride or width changes.
     */
    record Bottleneck(String name,
                      @JsonProperty(value = "inplanes", required = true) int inplanes,
                      @JsonProperty(value = "planes", required = true) int planes,
                      Integer stride, Integer groups, Integer baseWidth) implements ModuleSpec { }

    /**
     * A feature map (N, D, h, w) as a sequence of h * w tokens (N, h * w, D), row-major: what
     * torchvision's VisionTransformer does to the output of {@code conv_proj}.
     */
    record Tokens(String name) implements ModuleSpec { }

    /**
     * A learned token (1, 1, D) put in front of the sequence: torchvision's
     * {@code class_token}. Its state-dict name is the module's own path.
     */
    record ClassToken(String name, @JsonProperty(value = "hidden_dim", required = true) int hiddenDim)
            implements ModuleSpec { }

    /**
     * A learned (1, seq_length, D) tensor added to the sequence: torchvision's
     * {@code encoder.pos_embedding}. Its state-dict name is the module's own path.
     */
    record PositionEmbedding(String name,
                             @JsonProperty(value = "seq_length", required = true) int seqLength,
                             @JsonProperty(value = "hidden_dim", required = true) int hiddenDim)
            implements ModuleSpec { }

    /**
     * {@code nn.MultiheadAttention(embed_dim, num_heads, batch_first=True)} used as
     * self-attention: {@code in_proj_weight} (3D, D), {@code in_proj_bias} (3D),
     * {@code out_proj.weight}, {@code out_proj.bias}.
     */
    record MultiheadAttention(String name,
                              @JsonProperty(value = "embed_dim", required = true) int embedDim,
                              @JsonProperty(value = "num_heads", required = true) int numHeads,
                              Boolean bias) implements ModuleSpec { }

    /**
     * torchvision's ViT {@code EncoderBlock}: x + self_attention(ln_1(x)), then
     * + mlp(ln_2(.)) with {@code mlp.0} (D to mlp_dim), GELU, {@code mlp.3} (back to D).
     * LayerNorm eps defaults to torchvision's 1e-6.
     */
    record EncoderBlock(String name,
                        @JsonProperty(value = "hidden_dim", required = true) int hiddenDim,
                        @JsonProperty(value = "num_heads", required = true) int numHeads,
                        @JsonProperty(value = "mlp_dim", required = true) int mlpDim,
                        Double eps, Double dropout) implements ModuleSpec { }

    /** One token of the sequence, {@code x[:, index]}: the class token for a ViT's head. */
    record SelectToken(String name, Integer index) implements ModuleSpec { }
}
