package dev.lethe.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.pooling.Pool;

/**
 * ResNet-style: a 3x3 stem and four stages of one basic block each (16, 32, 64, 128 channels;
 * 28 -> 28 -> 14 -> 7 -> 4), the last three downsampling with a 1x1 convolution shortcut, then
 * global average pooling and a Linear head, like torchvision's resnet (whose names it uses:
 * {@code layer2.0.downsample.0}, {@code fc}). The 128-wide last stage gives the head an input
 * wide enough for one class's directions to stand apart from the others'.
 */
final class ResNet extends Network {
    ResNet(NDManager manager, long seed) {
        super(manager, seed);
        declareConv("conv1", 1, 16, 3, 1, 1, false);
        declareBatchNorm("bn1", 16);
        declareBlock("layer1.0", 16, 16, 1);
        declareBlock("layer2.0", 16, 32, 2);
        declareBlock("layer3.0", 32, 64, 2);
        declareBlock("layer4.0", 64, 128, 2);
        declareLinear("fc", 128, 10);
    }

    private void declareBlock(String name, int in, int out, int stride) {
        declareConv(name + ".conv1", in, out, 3, stride, 1, false);
        declareBatchNorm(name + ".bn1", out);
        declareConv(name + ".conv2", out, out, 3, 1, 1, false);
        declareBatchNorm(name + ".bn2", out);
        if (stride != 1 || in != out) {
            declareConv(name + ".downsample.0", in, out, 1, stride, 0, false);
            declareBatchNorm(name + ".downsample.1", out);
        }
    }

    @Override
    public Architecture architecture() {
        return Architecture.RESNET;
    }

    @Override
    protected NDArray forward(Pass p, NDArray x) {
        NDArray h = relu(batchNorm(p, "bn1", conv(p, "conv1", x)));
        h = block(p, "layer1.0", h, false);
        h = block(p, "layer2.0", h, true);
        h = block(p, "layer3.0", h, true);
        h = block(p, "layer4.0", h, true);
        h = Pool.globalAvgPool2d(h);
        return linear(p, "fc", h);
    }

    private NDArray block(Pass p, String name, NDArray x, boolean downsample) {
        NDArray h = relu(batchNorm(p, name + ".bn1", conv(p, name + ".conv1", x)));
        h = batchNorm(p, name + ".bn2", conv(p, name + ".conv2", h));
        NDArray shortcut = downsample
                ? batchNorm(p, name + ".downsample.1", conv(p, name + ".downsample.0", x))
                : x;
        return relu(h.add(shortcut));
    }
}
