import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Run once while the image is built: loading both native engines unpacks their libraries into
 * the image (DJL_CACHE_DIR, JavaCPP's cache dir), so a container needs no download and no
 * writable cache at start. It also proves that both compute in this image.
 */
public final class NativeWarmup {
    public static void main(String[] args) {
        Engine pytorch = Engine.getEngine("PyTorch");
        float djl;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            djl = a.matMul(a).sum().getFloat();
        }
        INDArray b = Nd4j.create(new double[] {1, 2, 3, 4}, new long[] {2, 2}, 'c');
        double nd4j = b.mmul(b).sumNumber().doubleValue();
        if (djl != 54f || nd4j != 54.0) {
            throw new IllegalStateException("native engines disagree: PyTorch " + djl + ", ND4J " + nd4j);
        }
        System.out.printf("natives ready: %s %s, ND4J %s%n", pytorch.getEngineName(), pytorch.getVersion(),
                Nd4j.getBackend().getClass().getSimpleName());
    }
}
