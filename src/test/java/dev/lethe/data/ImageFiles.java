package dev.lethe.data;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes small PNG and JPEG files for tests, through javax.imageio. */
final class ImageFiles {
    private ImageFiles() {}

    /** An image of {@code type} whose every sample of band {@code b} is {@code values[b]}. */
    static Path write(Path file, int type, int h, int w, int... values) throws IOException {
        BufferedImage img = new BufferedImage(w, h, type);
        WritableRaster r = img.getRaster();
        for (int b = 0; b < r.getNumBands(); b++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    r.setSample(x, y, b, values[b]);
                }
            }
        }
        return write(file, img);
    }

    static Path write(Path file, BufferedImage img) throws IOException {
        Files.createDirectories(file.getParent());
        String name = file.getFileName().toString();
        String format = name.endsWith(".png") ? "png" : "jpeg";
        if (!ImageIO.write(img, format, file.toFile())) {
            throw new IOException("no " + format + " writer");
        }
        return file;
    }

    /** An 8-bit grey PNG of {@code h x w} pixels all {@code v}. */
    static Path grey(Path file, int h, int w, int v) throws IOException {
        return write(file, BufferedImage.TYPE_BYTE_GRAY, h, w, v);
    }

    /** An RGB PNG of {@code h x w} pixels all (r, g, b). */
    static Path rgb(Path file, int h, int w, int r, int g, int b) throws IOException {
        return write(file, BufferedImage.TYPE_3BYTE_BGR, h, w, r, g, b);
    }
}
