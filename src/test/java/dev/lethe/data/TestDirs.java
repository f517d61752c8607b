package dev.lethe.data;

import dev.lethe.testing.Prerequisites;
import java.nio.file.Path;

/** The real Fashion-MNIST for the data tests: skipped when missing, a failure under LETHE_CI=1. */
final class TestDirs {
    private TestDirs() {}

    static Path fashionMnist() {
        return Prerequisites.fashionMnist();
    }
}
