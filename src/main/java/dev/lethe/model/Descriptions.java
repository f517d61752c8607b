package dev.lethe.model;

import dev.lethe.model.ModuleSpec.AdaptiveAvgPool2d;
import dev.lethe.model.ModuleSpec.BasicBlock;
import dev.lethe.model.ModuleSpec.BatchNorm2d;
import dev.lethe.model.ModuleSpec.Conv2d;
import dev.lethe.model.ModuleSpec.Flatten;
import dev.lethe.model.ModuleSpec.Linear;
import dev.lethe.model.ModuleSpec.MaxPool2d;
import dev.lethe.model.ModuleSpec.ReLU;
import dev.lethe.model.ModuleSpec.Sequential;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the shipped descriptions (src/main/resources/architectures, which a test keeps equal
 * to these) and their parametric variants: a wider VGG, a ViT of another size.
 */
public final class Descriptions {
    /** Fashion-MNIST's training-set pixel mean and standard deviation. */
    public static final double FASHION_MEAN = 0.2860;
    public static final double FASHION_STD = 0.3530;
    static final Description.Input GREY_28 = Description.Input.of(1, 28, 28, FASHION_MEAN, FASHION_STD);
    /** Fashion-MNIST's constants per channel, for its images padded to 32x32 and replicated to RGB. */
    static final Description.Input RGB_32 = Description.Input.of(3, 32, 32, FASHION_MEAN, FASHION_STD);

    private Descriptions() { }

    /** Three Linear layers: 784 -> 256 -> 128 -> 10. */
    public static Description mlp() {
        return new Description("mlp", GREY_28, 10, 8, List.of(new Flatten("flatten"), linear("fc1", 784, 256),
                new ReLU("relu1"), linear("fc2", 256, 128), new ReLU("relu2"), linear("fc3", 128, 10)));
    }

    /**
     * Three Conv-BN-ReLU stages with max pooling (28 -> 14 -> 7 -> 3), then a two-layer
     * classifier, in torchvision's {@code features}/{@code classifier} numbering; every stage and
     * the hidden Linear {@code widthMultiplier} times as wide (1: the trained VGG, named
     * {@code vgg}; k: {@code vgg-xk}, built to time the method on larger layers).
     */
    public static Description vgg(int widthMultiplier) {
        if (widthMultiplier < 1) {
            throw new IllegalArgumentException("width multiplier must be >= 1, got " + widthMultiplier);
        }
        int c1 = 16 * widthMultiplier;
        int c2 = 32 * widthMultiplier;
        int c3 = 64 * widthMultiplier;
        List<ModuleSpec> features = new ArrayList<>();
        stage(features, 1, c1, false);
        stage(features, c1, c2, true);
        stage(features, c2, c3, false);
        stage(features, c3, c3, true);
        stage(features, c3, c3, true);
        List<ModuleSpec> classifier = List.of(linear(null, c3 * 3 * 3, 128 * widthMultiplier), new ReLU(null),
                linear(null, 128 * widthMultiplier, 10));
        String name = widthMultiplier == 1 ? "vgg" : "vgg-x" + widthMultiplier;
        return new Description(name, GREY_28, 10, 4, List.of(new Sequential("features", features),
                new Flatten("flatten"), new Sequential("classifier", classifier)));
    }

    /**
     * A 3x3 stem and four stages of one BasicBlock each (16, 32, 64, 128 channels;
     * 28 -> 28 -> 14 -> 7 -> 4), then global average pooling and a Linear head. Trained for 8
     * epochs by default: fewer reach nearly the same accuracy, but the longer-trained network
     * forgets a class with less damage to the others (docs/algorithm.md, "Defaults chosen by hand").
     */
    public static Description resnet() {
        List<ModuleSpec> modules = new ArrayList<>(List.of(conv("conv1", 1, 16, 3, 1, 1, false),
                new BatchNorm2d("bn1", 16, null, null), new ReLU("relu")));
        int[] widths = {16, 16, 32, 64, 128};
        for (int i = 1; i <= 4; i++) {
            modules.add(new Sequential("layer" + i,
                    List.of(new BasicBlock(null, widths[i - 1], widths[i], i == 1 ? null : 2))));
        }
        modules.addAll(head(128));
        return new Description("resnet", GREY_28, 10, 8, modules);
    }

    /**
     * ResNet-18 in torchvision's layout: {@code cifar} false is {@code resnet18(num_classes=10)}
     * exactly (7x7 stride-2 stem, 3x3 max pool); true is the CIFAR variant the paper's code
     * uses, a 3x3 stride-1 stem and no max pool.
     */
    public static Description resnet18(boolean cifar) {
        List<ModuleSpec> modules = new ArrayList<>();
        modules.add(cifar ? conv("conv1", 3, 64, 3, 1, 1, false) : conv("conv1", 3, 64, 7, 2, 3, false));
        modules.add(new BatchNorm2d("bn1", 64, null, null));
        modules.add(new ReLU("relu"));
        if (!cifar) {
            modules.add(new MaxPool2d("maxpool", 3, 2, 1));
        }
        int in = 64;
        for (int i = 1; i <= 4; i++) {
            int planes = 64 << (i - 1);
            modules.add(new Sequential("layer" + i, List.of(new BasicBlock(null, in, planes, i == 1 ? null : 2),
                    new BasicBlock(null, planes, planes, null))));
            in = planes;
        }
        modules.addAll(head(512));
        return new Description(cifar ? "resnet18-cifar" : "resnet18", RGB_32, 10, 4, modules);
    }

    /**
     * torchvision's {@code vgg11_bn} features (indices 0-28, 32 -> 1 after five poolings), a
     * global average pool, and a small classifier instead of torchvision's 4096-wide one:
     * Linear(512, 512), ReLU, Dropout(0.5), Linear(512, 10).
     */
    public static Description vgg11Bn() {
        int[] config = {64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0};
        List<ModuleSpec> features = new ArrayList<>();
        int in = 3;
        for (int c : config) {
            if (c == 0) {
                features.add(new MaxPool2d(null, 2, null, null));
            } else {
                features.add(conv(null, in, c, 3, 1, 1, true));
                features.add(new BatchNorm2d(null, c, null, null));
                features.add(new ReLU(null));
                in = c;
            }
        }
        List<ModuleSpec> classifier = List.of(linear(null, 512, 512), new ReLU(null),
                new ModuleSpec.Dropout(null, 0.5), linear(null, 512, 10));
        return new Description("vgg11-bn", RGB_32, 10, 4, List.of(new Sequential("features", features),
                new AdaptiveAvgPool2d("avgpool", 1), new Flatten("flatten"), new Sequential("classifier", classifier)));
    }

    /** A ViT's size: image side, patch side, token width, encoder blocks, heads, MLP width. */
    public record VitSize(int image, int patch, int width, int depth, int heads, int mlp) {
        /** Patches of 4 on 32x32 images (64 tokens and the class token), 6 blocks 96 wide. */
        public static final VitSize DEFAULT = new VitSize(32, 4, 96, 6, 4, 192);

        public VitSize {
            if (patch < 1 || image % patch != 0) {
                throw new IllegalArgumentException("image side " + image + " must be a multiple of the patch " + patch);
            }
            if (width < 1 || depth < 1 || heads < 1 || mlp < 1 || width % heads != 0) {
                throw new IllegalArgumentException("ViT needs positive sizes and a width divisible by the heads, got "
                        + this);
            }
        }
    }

    /**
     * torchvision's {@code VisionTransformer(image_size, patch_size, num_layers=depth,
     * num_heads, hidden_dim=width, mlp_dim, num_classes=10)} with its module names:
     * {@code conv_proj}, {@code class_token}, {@code encoder.pos_embedding},
     * {@code encoder.layers.encoder_layer_i}, {@code encoder.ln}, {@code heads.head}.
     */
    public static Description vit(String name, VitSize s) {
        int tokens = (s.image() / s.patch()) * (s.image() / s.patch()) + 1;
        List<ModuleSpec> blocks = new ArrayList<>();
        for (int i = 0; i < s.depth(); i++) {
            blocks.add(new ModuleSpec.EncoderBlock("encoder_layer_" + i, s.width(), s.heads(), s.mlp(), null, null));
        }
        List<ModuleSpec> encoder = List.of(new ModuleSpec.PositionEmbedding("pos_embedding", tokens, s.width()),
                new ModuleSpec.Dropout("dropout", 0.0), new Sequential("layers", blocks),
                new ModuleSpec.LayerNorm("ln", s.width(), 1e-6));
        Description.Input input = Description.Input.of(3, s.image(), s.image(), FASHION_MEAN, FASHION_STD);
        return new Description(name, input, 10, 10, List.of(
                new Conv2d("conv_proj", 3, s.width(), s.patch(), s.patch(), null, null, null, null),
                new ModuleSpec.Tokens("tokens"), new ModuleSpec.ClassToken("class_token", s.width()),
                new Sequential("encoder", encoder), new ModuleSpec.SelectToken(null, null),
                new Sequential("heads", List.of(linear("head", s.width(), 10)))));
    }

    /** Every shipped description, in the order the docs list them. */
    public static List<Description> shipped() {
        return List.of(mlp(), vgg(1), resnet(), resnet18(true), resnet18(false), vgg11Bn(),
                vit("vit", VitSize.DEFAULT));
    }

    private static void stage(List<ModuleSpec> into, int in, int out, boolean pool) {
        into.add(conv(null, in, out, 3, 1, 1, true));
        into.add(new BatchNorm2d(null, out, null, null));
        into.add(new ReLU(null));
        if (pool) {
            into.add(new MaxPool2d(null, 2, null, null));
        }
    }

    private static List<ModuleSpec> head(int width) {
        return List.of(new AdaptiveAvgPool2d("avgpool", 1), new Flatten("flatten"), linear("fc", width, 10));
    }

    private static Conv2d conv(String name, int in, int out, int k, int stride, int padding, boolean bias) {
        return new Conv2d(name, in, out, k, stride == 1 ? null : stride, padding == 0 ? null : padding, null, null,
                bias ? null : false);
    }

    private static Linear linear(String name, int in, int out) {
        return new Linear(name, in, out, null);
    }
}
