package dev.fovea.batch.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.audit.batch.BatchEngine;
import dev.fovea.audit.batch.BatchRunner;
import dev.fovea.audit.batch.Cell;
import dev.fovea.audit.batch.CellRecord;
import dev.fovea.audit.batch.Grid;
import dev.fovea.audit.batch.LocalEngine;
import dev.fovea.data.FixturePaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fixture grid on Spark in local mode ({@code local[2]}) equals the local runner's, cell for cell: the same
 * tidy results byte for byte, and in every cell's folder the same metrics and the same files with the same digests
 * (but the reports' JSON, which carries its start time).
 */
class SparkEngineTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void sparkLocalModeEqualsTheLocalRunnerCellForCell() throws Exception {
        Grid grid = Grid.read(FixturePaths.fixture("batch", "grid.yaml"));
        Path local = dir.resolve("local");
        Path spark = dir.resolve("spark");
        BatchRunner.Summary l = BatchRunner.run(grid, local, BatchRunner.Settings.local(2), new LocalEngine(), new BatchRunner.Listener() {
        });
        BatchEngine engine = ServiceLoader.load(BatchEngine.class).stream().map(ServiceLoader.Provider::get).filter(e -> e.name().equals("spark"))
                .findFirst().orElseThrow();
        BatchRunner.Summary s = BatchRunner.run(grid, spark, new BatchRunner.Settings(2, false, 1, 1, false, "local[2]"), engine,
                new BatchRunner.Listener() {
                });
        assertEquals(grid.cells().size(), l.ran());
        assertEquals(grid.cells().size(), s.ran());
        assertEquals(0, s.failed());
        assertEquals(Files.readString(local.resolve("results.csv")), Files.readString(spark.resolve("results.csv")));
        JsonNode sb = JSON.readTree(spark.resolve("batch.json").toFile());
        assertTrue(sb.get("engine").asText().startsWith("spark local[2]"), sb.get("engine").asText());
        for (Cell c : grid.cells()) {
            JsonNode a = JSON.readTree(local.resolve("cells").resolve(c.id()).resolve(CellRecord.FILE).toFile());
            JsonNode b = JSON.readTree(spark.resolve("cells").resolve(c.id()).resolve(CellRecord.FILE).toFile());
            assertEquals("ok", b.get("status").asText(), c.id());
            assertEquals(a.get("metrics"), b.get("metrics"), c.id());
            assertEquals(a.get("cell"), b.get("cell"), c.id());
            assertEquals(a.get("files").size(), b.get("files").size(), c.id());
            a.get("files").fields().forEachRemaining(f -> {
                if (!f.getKey().endsWith(".json")) {
                    assertEquals(f.getValue(), b.get("files").get(f.getKey()), c.id() + " " + f.getKey());
                }
            });
        }
        // the overhead of Spark per cell, for the record (not asserted: it depends on the machine)
        System.out.printf("fixture grid: local 2 threads %.1f s, spark local[2] %.1f s, %d cells: %.2f s per cell more on spark%n", l.seconds(),
                s.seconds(), grid.cells().size(), (s.seconds() - l.seconds()) / grid.cells().size());
    }
}
