package dev.lethe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.data.DataSpec;
import dev.lethe.data.Datasets;
import dev.lethe.data.ImageFolder;
import dev.lethe.data.ImageShape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommandTest {
    @TempDir
    Path tmp;

    private record Run(int status, String out, String err) {}

    private static Run lethe(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int status = Main.run(args);
            return new Run(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Two classes of 4x4 grey PNGs: 12 training images each, 2 test images each. */
    private Path folder() throws IOException {
        Path root = tmp.resolve("shapes");
        for (String split : new String[] {"train", "test"}) {
            for (String cls : new String[] {"circle", "square"}) {
                for (int i = 0; i < (split.equals("train") ? 12 : 2); i++) {
                    BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
                    img.getRaster().setSample(i % 4, cls.equals("circle") ? 1 : 2, 0, 10 * i + 5);
                    Path f = root.resolve(split).resolve(cls).resolve(i + ".png");
                    Files.createDirectories(f.getParent());
                    ImageIO.write(img, "png", f.toFile());
                }
            }
        }
        Files.writeString(tmp.resolve("spec.json"), DataSpec.of(DataSpec.Format.IMAGE_FOLDER, root).toJson());
        return tmp.resolve("spec.json");
    }

    @Test
    void checkPrintsClassesCountsShapeAndFingerprint() throws IOException {
        Path spec = folder();
        Run r = lethe("data", "check", "--spec", spec.toString(), "--classes", "2", "--input", "1x4x4");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("input        1x4x4 (fit none)"), r.out());
        assertTrue(r.out().matches("(?s).*0 circle\\s+11\\s+1\\s+2\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*total\\s+22\\s+2\\s+4\\n.*"), r.out());
        assertTrue(r.out().contains("fingerprint  " + Datasets.fingerprint(DataSpec.read(spec))), r.out());
    }

    @Test
    void aFailedCheckSaysWhyAndExitsTwo() throws IOException {
        Path spec = folder();
        Run classes = lethe("data", "check", "--spec", spec.toString(), "--classes", "10");
        assertEquals(2, classes.status());
        assertTrue(classes.err().startsWith("lethe: the data has 2 classes [circle, square], the model's head has 10"),
                classes.err());
        Run shape = lethe("data", "check", "--spec", spec.toString(), "--input", "3x32x32");
        assertEquals(2, shape.status());
        assertTrue(shape.err().contains("the data gives 1x4x4 images, the model takes 3x32x32"), shape.err());
        Run missing = lethe("data", "check", "--spec", tmp.resolve("nope.json").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("nope.json: no such file"), missing.err());
    }

    @Test
    void exportWritesAFolderThatChecksAsTheFittedShape() throws IOException {
        Path spec = folder();
        Path out = tmp.resolve("out");
        Run r = lethe("data", "export", "--spec", spec.toString(), "--pad", "6", "--channels", "3", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("wrote 24 training and 4 test images of 3x6x6 to " + out), r.out());
        DataSpec written = DataSpec.read(out.resolve(ImageFolder.SPEC_FILE));
        Datasets.Summary s = Datasets.check(written, 2, new ImageShape(3, 6, 6));
        assertEquals(java.util.List.of("circle", "square"), s.labels());
        assertTrue(Files.isRegularFile(out.resolve("train/0-circle/00.png")), "first image of train");
        Run again = lethe("data", "export", "--spec", spec.toString(), "--out", out.toString());
        assertEquals(2, again.status());
        assertTrue(again.err().contains("is not empty"), again.err());
        Run both = lethe("data", "export", "--spec", spec.toString(), "--pad", "6", "--resize", "6", "--out",
                tmp.resolve("x").toString());
        assertTrue(both.err().contains("--pad and --resize: give one"), both.err());
    }
}
