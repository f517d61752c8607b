package dev.lethe.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packages' dependency rules, read from the sources' imports: Kafka Streams stays in the
 * stream shell, the Kafka-free rules (lineage, versions, request checks) that replay and
 * serving need do not pull it in, and serving applies patches without the engine. A class that breaks a rule is named with the import that breaks it.
 */
class LayeringTest {
    private static final Path MAIN = Path.of("src/main/java/dev/lethe");

    @ParameterizedTest(name = "{0} does not import {1}")
    @CsvSource({
            "lineage, org.apache.kafka.",
            "lineage, dev.lethe.stream.",
            "replay, org.apache.kafka.streams.",
            "replay, dev.lethe.stream.",
            "serving, org.apache.kafka.streams.",
            "serving, dev.lethe.stream.",
            "serving, dev.lethe.engine.",
            "patch, org.apache.kafka.",
            "patch, dev.lethe.engine.",
            "engine, org.apache.kafka.",
            "engine, dev.lethe.stream.",
    })
    void forbiddenImports(String pkg, String forbidden) throws IOException {
        Path dir = MAIN.resolve(pkg);
        assertTrue(Files.isDirectory(dir), "no package " + dir);
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    String l = line.strip();
                    if ((l.startsWith("import " + forbidden) || l.startsWith("import static " + forbidden))) {
                        found.add(f.getFileName() + ": " + l);
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }
}
