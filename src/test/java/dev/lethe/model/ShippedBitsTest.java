package dev.lethe.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The three networks Lethe trained before architectures became descriptions keep their bits:
 * the values below were computed with the hand-written Mlp, Vgg and ResNet classes (commit
 * e8176bc) just before the descriptions replaced them. Saved seeds, stored models and the
 * request hashes that replay checks all rest on this. (On the machine where they were recorded
 * the description-built networks also gave bit-identical logits, training steps and Gram
 * statistics; across machines only the initial weights are bit-exact, hence the tolerance on
 * logits.)
 */
class ShippedBitsTest {

    static Stream<Arguments> initialWeights() {
        return Stream.of(
            Arguments.of("mlp", 0L, "3d189a76915117b5922b9d594b2527257b71fd53d26ac61b5df2118fc82e484a"),
            Arguments.of("mlp", 7L, "2aaae082c862496fc4e10ef98dba4ebd76d37082eb29f736c6071162de575b94"),
            Arguments.of("mlp", 42L, "f9ed4ee0e51fbef528ed1d070d0aeb21c8b1eb9dfa6d129032756fa3a7d11c8d"),
            Arguments.of("vgg", 0L, "3472e0cee6eacdd6e2b86a3dc9be175f261606b928c3c5b7e36711f9b8f1d4ff"),
            Arguments.of("vgg", 7L, "2daf6b118897bde1b0da56791ddf202de790dfdb51a7dd6931cc21fdfa74c7b6"),
            Arguments.of("vgg", 42L, "49a15cbffa3a8598d34729fd6b45691121554547174445ec30de9beadb3923ea"),
            Arguments.of("resnet", 0L, "d43892f00ac7dbdb88b6a4275ad1c6b749f7b1a56adb029047a660921fe18aba"),
            Arguments.of("resnet", 7L, "a469f369015b3889be265edfd2ed10031afba252004971ea59eed90d02ee0f03"),
            Arguments.of("resnet", 42L, "403bdaa74cf16a17958096e896c9955d9b05930291d8242bebc360b06eee6d35"));
    }

    @ParameterizedTest
    @MethodSource("initialWeights")
    void theSameSeedGivesTheSameInitialWeights(String arch, long seed, String sha256) {
        try (NDManager m = NDManager.newBaseManager(); Network net = Architecture.parse(arch).create(m, seed)) {
            assertEquals(sha256, ModelFiles.sha256(ModelFiles.weightBytes(net)), arch + " seed " + seed);
        }
    }

    /** Eval-mode logits of the first four Fashion-MNIST test images, seed 7. */
    private static final Map<String, float[]> LOGITS = Map.of(
        "mlp", new float[] {
            -0.034474544f, 0.12491207f, 0.09808681f, -0.2750217f, -0.11232005f,
            -0.14497232f, 0.014220208f, -0.027923185f, -0.1036419f, -0.018053282f,
            -0.11271528f, 0.15689489f, 0.042993292f, -0.36880955f, 0.02945017f,
            -0.13979396f, -0.1664918f, 0.04802579f, -0.14628445f, -0.051976897f,
            -0.10693211f, 0.103649616f, 0.13675867f, -0.38449773f, -0.15523176f,
            -0.13612011f, 0.1892424f, 0.037489988f, 0.081065536f, -0.05781593f,
            -0.04823906f, 0.043422773f, 0.10516064f, -0.30333567f, -0.17831424f,
            -0.06829919f, 0.08673464f, 0.024499098f, 0.06017783f, -0.092613414f},
        "vgg", new float[] {
            -0.0039280374f, 0.024962282f, 0.03411109f, -0.016674593f, 0.091058485f,
            -0.041397102f, -0.052054152f, -0.01931645f, -0.06859122f, 0.0146362325f,
            -0.0046783965f, 0.028112413f, 0.03603688f, -0.016450629f, 0.09307402f,
            -0.039838437f, -0.047976933f, -0.019056093f, -0.06792313f, 0.014098921f,
            -0.00512735f, 0.025035681f, 0.032620274f, -0.016273744f, 0.09186714f,
            -0.04028515f, -0.05014915f, -0.021541372f, -0.06910701f, 0.016056594f,
            -0.005144842f, 0.024657698f, 0.03355394f, -0.017218675f, 0.09179644f,
            -0.04098352f, -0.050527204f, -0.020513028f, -0.06895213f, 0.017248029f},
        "resnet", new float[] {
            0.032930367f, -0.063769996f, -0.020919373f, -0.09192944f, 0.07263286f,
            0.06920783f, -0.035301037f, 0.035703003f, 0.02462399f, -0.037063673f,
            0.024943117f, -0.058269896f, -0.017060041f, -0.09494299f, 0.06390169f,
            0.06298736f, -0.034213215f, 0.05244582f, 0.023730401f, -0.04467389f,
            0.031104896f, -0.062216587f, -0.019472178f, -0.09314967f, 0.07464769f,
            0.06735351f, -0.03457268f, 0.0432868f, 0.025077611f, -0.038304552f,
            0.03259249f, -0.0660024f, -0.022217553f, -0.09442406f, 0.07254847f,
            0.06743383f, -0.035502836f, 0.03733186f, 0.024382183f, -0.037522495f});

    @Test
    void theSameWeightsGiveTheSameLogits() {
        LOGITS.forEach((arch, expected) -> {
            try (NDManager m = NDManager.newBaseManager(); Network net = Architecture.parse(arch).create(m, 7)) {
                float[] logits = net.logits(TestData.realImages(m, 4), false, LayerTap.NONE).toFloatArray();
                assertEquals(expected.length, logits.length, arch);
                for (int i = 0; i < logits.length; i++) {
                    assertEquals(expected[i], logits[i], 1e-6f, arch + " logit " + i);
                }
            }
        });
    }
}
