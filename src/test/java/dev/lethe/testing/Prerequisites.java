package dev.lethe.testing;

import dev.lethe.data.DatasetNotFoundException;
import dev.lethe.data.FashionMnist;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What the tests need from the machine (the real Fashion-MNIST, Python with PyTorch) and what
 * its absence means: a skip on a developer's machine, a failure in CI ({@code LETHE_CI=1}),
 * where a skipped test would otherwise look like a passing one.
 */
public final class Prerequisites {
    private Prerequisites() { }

    /** The Fashion-MNIST directory ({@code $LETHE_DATA} or the Debian package's), all four files present. */
    public static Path fashionMnist() {
        try {
            return FashionMnist.locate(null);
        } catch (DatasetNotFoundException e) {
            throw missing(e.getMessage());
        }
    }

    /**
     * Skips the calling test, or fails it under {@code LETHE_CI=1}, saying what is missing.
     * Returns an error only so callers can write {@code throw missing(...)}; it never returns.
     */
    public static AssertionError missing(String what) {
        if (inCi()) {
            Assertions.fail("LETHE_CI=1 and " + what);
        }
        Assumptions.abort(what);
        return new AssertionError(what);
    }

    /**
     * Skips the calling test saying what is missing, even under {@code LETHE_CI=1} (for what CI
     * machines may rightly lack, such as a usable container runtime), but fails it where the
     * environment variable {@code requiredBy} is {@code 1}: set by the CI stage that provides the
     * prerequisite, where a skip would hide a broken set-up.
     */
    public static AssertionError missingUnlessRequired(String what, String requiredBy) {
        if ("1".equals(System.getenv(requiredBy))) {
            Assertions.fail(requiredBy + "=1 and " + what);
        }
        Assumptions.abort(what);
        return new AssertionError(what);
    }

    public static boolean inCi() {
        return "1".equals(System.getenv("LETHE_CI"));
    }
}
