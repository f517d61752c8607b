package dev.lethe.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageFitTest {
    private static final byte[] RAMP = bytes(0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 250);

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static int[] unsigned(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xff;
        }
        return out;
    }

    private static byte[] fit(ImageFit f, byte[] src, int c, int h, int w) {
        byte[] out = new byte[f.imageSize()];
        f.apply(src, 0, c, h, w, out, 0);
        return out;
    }

    @Test
    void padCentresOnZerosAndPutsAnOddPixelBottomRight() {
        ImageFit f = new ImageFit(1, 4, 5, DataSpec.Fit.PAD);
        byte[] out = fit(f, bytes(1, 2, 3, 4), 1, 2, 2);
        assertArrayEquals(new int[] {
            0, 0, 0, 0, 0,
            0, 1, 2, 0, 0,
            0, 3, 4, 0, 0,
            0, 0, 0, 0, 0}, unsigned(out));
    }

    @Test
    void twentyEightPadsToThirtyTwoWithTwoEachSide() {
        ImageFit f = new ImageFit(3, 32, 32, DataSpec.Fit.PAD);
        byte[] src = new byte[28 * 28];
        java.util.Arrays.fill(src, (byte) 200);
        byte[] out = fit(f, src, 1, 28, 28);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    boolean inside = y >= 2 && y < 30 && x >= 2 && x < 30;
                    assertEquals(inside ? 200 : 0, out[c * 1024 + y * 32 + x] & 0xff, c + "," + y + "," + x);
                }
            }
        }
    }

    @Test
    void lumaIsPillowsConvertL() {
        // Pillow 9.4: Image with pixels (255,0,0), (0,255,0), (12,200,77) .convert("L") gives 76, 150, 130.
        byte[] rgb = bytes(255, 0, 12, 0, 255, 200, 0, 0, 77);
        assertArrayEquals(new int[] {76, 150, 130}, unsigned(fit(new ImageFit(1, 1, 3, DataSpec.Fit.NONE), rgb, 3, 1, 3)));
    }

    @Test
    void greyToThreeChannelsReplicates() {
        byte[] out = fit(new ImageFit(3, 1, 2, DataSpec.Fit.NONE), bytes(7, 250), 1, 1, 2);
        assertArrayEquals(new int[] {7, 250, 7, 250, 7, 250}, unsigned(out));
    }

    @Test
    void resizeFollowsPillowsBilinearWithinOneLevel() {
        // Pillow 9.4: Image.frombytes("L", (4, 4), RAMP).resize(size, Image.BILINEAR).
        assertClose(new int[] {36, 52, 98, 133}, fit(new ImageFit(1, 2, 2, DataSpec.Fit.RESIZE), RAMP, 1, 4, 4));
        assertClose(new int[] {0, 5, 12, 18, 25, 30, 20, 25, 32, 38, 45, 50, 47, 52, 59, 65, 72, 77, 73, 78, 85, 91,
            98, 103, 100, 105, 112, 118, 150, 180, 120, 125, 132, 138, 195, 250},
                fit(new ImageFit(1, 6, 6, DataSpec.Fit.RESIZE), RAMP, 1, 4, 4));
        // (3, 5) in Pillow is width 3, height 5.
        assertClose(new int[] {3, 15, 27, 31, 43, 55, 63, 75, 87, 95, 107, 140, 123, 135, 217},
                fit(new ImageFit(1, 5, 3, DataSpec.Fit.RESIZE), RAMP, 1, 4, 4));
    }

    private static void assertClose(int[] expected, byte[] got) {
        int[] g = unsigned(got);
        assertEquals(expected.length, g.length);
        for (int i = 0; i < g.length; i++) {
            assertTrue(Math.abs(expected[i] - g[i]) <= 1, "pixel " + i + ": Pillow " + expected[i] + ", here " + g[i]
                    + " in " + java.util.Arrays.toString(g));
        }
    }

    @Test
    void resizeToTheSameSizeIsTheIdentity() {
        assertArrayEquals(RAMP, fit(new ImageFit(1, 4, 4, DataSpec.Fit.RESIZE), RAMP, 1, 4, 4));
    }

    @Test
    void misfitsSayWhy() {
        assertNull(new ImageFit(1, 32, 32, DataSpec.Fit.PAD).misfit(28, 28));
        assertNull(new ImageFit(1, 32, 32, DataSpec.Fit.RESIZE).misfit(64, 20));
        assertNull(new ImageFit(1, 28, 28, DataSpec.Fit.NONE).misfit(28, 28));
        String larger = new ImageFit(1, 32, 32, DataSpec.Fit.PAD).misfit(36, 30);
        assertTrue(larger.contains("36x30") && larger.contains("pad never shrinks"), larger);
        String none = new ImageFit(1, 32, 32, DataSpec.Fit.NONE).misfit(28, 28);
        assertTrue(none.contains("28x28") && none.contains("32x32") && none.contains("fit is none"), none);
    }
}
