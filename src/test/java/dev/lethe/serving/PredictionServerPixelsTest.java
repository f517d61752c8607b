package dev.lethe.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.data.ImageShape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The body of POST /predict becomes pixels of the model's input shape. */
class PredictionServerPixelsTest {
    private static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void rawBytesAreChannelMajorOver255() throws IOException {
        ImageShape shape = new ImageShape(3, 2, 2);
        byte[] body = new byte[12];
        for (int i = 0; i < 12; i++) {
            body[i] = (byte) (i * 20);
        }
        float[] px = PredictionServer.pixels(body, shape);
        assertEquals(12, px.length);
        assertEquals(220 / 255f, px[11]);
    }

    @Test
    void aColourImageFillsThreePlanesOfTheModelsSize() throws IOException {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                img.getRaster().setPixel(x, y, new int[] {200, 100, 10});
            }
        }
        float[] px = PredictionServer.pixels(png(img), new ImageShape(3, 8, 8));
        assertEquals(3 * 64, px.length);
        assertEquals(200 / 255f, px[0]);
        assertEquals(100 / 255f, px[64 + 9]);
        assertEquals(10 / 255f, px[128 + 63]);
    }

    @Test
    void aGreyImageForTheFashionMnistShapeKeepsItsBytes() throws IOException {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(3, 5, 0, 177);
        float[] px = PredictionServer.pixels(png(img), ImageShape.FASHION_MNIST);
        float[] expected = new float[784];
        expected[5 * 28 + 3] = 177 / 255f;
        assertArrayEquals(expected, px);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PredictionServer.pixels(new byte[5], ImageShape.FASHION_MNIST));
        assertTrue(e.getMessage().contains("784 raw bytes (1x28x28)"), e.getMessage());
    }
}
