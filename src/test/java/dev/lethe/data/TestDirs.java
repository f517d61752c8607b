package dev.lethe.data;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The real Fashion-MNIST for the data tests: skipped when missing, a failure under LETHE_CI=1. */
final class TestDirs {
    private TestDirs() {}

    static Path fashionMnist() {
        try {
            return FashionMnist.locate(null);
        } catch (DatasetNotFoundException e) {
            if ("1".equals(System.getenv("LETHE_CI"))) {
                throw new AssertionError("LETHE_CI=1 and " + e.getMessage(), e);
            }
            Assumptions.abort("Fashion-MNIST is not installed: " + e.getMessage());
            throw new AssertionError(e);
        }
    }
}
