package dev.fovea.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's {@code fixtures/} folder from the test's working directory (a module directory). */
public final class FixturePaths {
    private FixturePaths() {
    }

    /** The repository root: the nearest directory, from the working directory up, holding {@code fixtures/} and {@code pom.xml}. */
    public static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("fixtures")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("fixtures: no directory holding fixtures/ and pom.xml above " + Path.of("").toAbsolutePath());
    }

    /**
     * {@code <first>/<more>...} under {@code shared/} beside the repository root ({@code <repo>/../shared}, where
     * the project's machines and CI keep data and models too large for the repository); fails when it is missing.
     */
    public static Path shared(String first, String... more) {
        Path p = root().resolveSibling("shared").resolve(Path.of(first, more));
        if (!Files.exists(p)) {
            throw new IllegalStateException("shared data: " + p + " is missing (expected ../shared beside the repository)");
        }
        return p;
    }

    /** {@code fixtures/<first>/<more>...} under the repository root. */
    public static Path fixture(String first, String... more) {
        return root().resolve("fixtures").resolve(Path.of(first, more));
    }
}
