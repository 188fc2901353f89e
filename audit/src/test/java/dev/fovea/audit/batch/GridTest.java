package dev.fovea.audit.batch;

import dev.fovea.data.FixturePaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expanding specs into grids: axes, exclude rules, stable ids, and every mistake named at its line and field. */
class GridTest {
    static final Path FIXTURES = FixturePaths.fixture("batch");
    static final String HEAD = "models: [../models/convnet.fovea, ../models/lenet5.fovea]\ndata: [{source: ../data/fashion-mnist-1k, limit: 8}]\n";

    static Grid grid(String yaml) throws IOException {
        return Grid.expand(SpecNode.parse("spec.yaml", yaml, false), FIXTURES, "spec.yaml");
    }

    @Test
    void fixtureGridIsTheProductMinusItsExclusions() throws IOException {
        Grid g = Grid.read(FIXTURES.resolve("grid.yaml"));
        // 2 models x (2 attacks + augment + explain + eval), minus lenet5's pgd
        assertEquals(9, g.cells().size());
        assertEquals(9, g.cells().stream().map(Cell::id).distinct().count());
        assertTrue(g.cells().stream().noneMatch(c -> c.model().name().equals("lenet5") && "pgd".equals(c.method())));
        for (int i = 0; i < g.cells().size(); i++) {
            Cell c = g.cells().get(i);
            assertEquals(i, c.index());
            assertEquals(c.id(), c.computedId());
            assertTrue(c.id().startsWith(c.type() + "-"), c.id());
        }
        assertEquals("fgsm", g.cells().get(0).axes().get("method"));
        assertEquals(8, g.cells().stream().filter(c -> c.type().equals("explain")).findFirst().orElseThrow().limit());
    }

    @Test
    void idsAreStableAndFollowThePlan() throws IOException {
        String spec = HEAD + "runs:\n  - {type: attack, method: fgsm, eps: [0.1, 0.05]}\n";
        Grid a = grid(spec);
        Grid b = grid(spec);
        assertEquals(a.cells().stream().map(Cell::id).toList(), b.cells().stream().map(Cell::id).toList());
        // budgets are sorted, so their order does not change the plan
        assertEquals(a.cells().get(0).id(), grid(HEAD + "runs:\n  - {type: attack, method: fgsm, eps: [0.05, 0.1]}\n").cells().get(0).id());
        assertNotEquals(a.cells().get(0).id(), grid(HEAD + "runs:\n  - {type: attack, method: fgsm, eps: [0.05, 0.2]}\n").cells().get(0).id());
        assertNotEquals(a.id(), grid(HEAD + "seeds: [1]\nruns:\n  - {type: attack, method: fgsm, eps: [0.1, 0.05]}\n").id());
    }

    @Test
    void budgetsAreFractionsAndARepeatedOneRunsOnceWithANote() throws IOException {
        Grid g = grid(HEAD + "runs:\n  - {type: attack, method: fgsm, eps: [8/255, 0.1, 0.03137254901960784, 0.1]}\n");
        assertEquals(2, g.cells().size());
        for (Cell c : g.cells()) {
            assertEquals(List.of(8 / 255.0, 0.1), c.plan().get("eps"), "each budget once, sorted");
        }
        assertEquals(List.of("spec.yaml:4:39: runs[0].eps: 0.0314, 0.1 are given more than once; each runs once"), g.notes(),
                "one note for the entry, not one per model");
        assertEquals(g.cells().get(0).id(), grid(HEAD + "runs:\n  - {type: attack, method: fgsm, eps: [0.1, 8/255]}\n").cells().get(0).id(),
                "the same plan as the budgets given once");
        assertEquals(List.of(), grid(HEAD + "runs:\n  - {type: attack, method: fgsm, eps: [0.1, 8/255]}\n").notes());
    }

    @Test
    void listsOfListsAndListsOfMapsAreAxes() throws IOException {
        Grid g = grid(HEAD + "seeds: [0, 1]\nruns:\n  - type: attack\n    method: cw\n    eps: [[0.5], [1.0]]\n"
                + "    options: [{kappa: 0}, {kappa: 2}]\n    steps: 3\n");
        assertEquals(2 * 2 * 2 * 2, g.cells().size());
        Set<Object> eps = g.cells().stream().map(c -> c.axes().get("eps_axis")).collect(Collectors.toSet());
        assertEquals(Set.of("0.5", "1.0"), eps);
        assertEquals(Set.of("kappa=0", "kappa=2"), g.cells().stream().map(c -> c.axes().get("options")).collect(Collectors.toSet()));
        // a one-value list field is one value, not an axis
        assertEquals(2, grid(HEAD + "runs:\n  - {type: attack, method: fgsm, eps: [0.1, 0.2]}\n").cells().size());
    }

    @Test
    void excludeMatchesModelsByNameAndAnyOfSeveralValues() throws IOException {
        Grid g = grid(HEAD + "runs:\n  - {type: attack, method: [fgsm, pgd, bim], eps: [0.1], steps: 2}\nexclude:\n"
                + "  - {model: lenet5, method: [pgd, bim]}\n  - {model: ../models/convnet.fovea, method: fgsm}\n");
        assertEquals(List.of("convnet pgd", "convnet bim", "lenet5 fgsm"),
                g.cells().stream().map(c -> c.model().name() + " " + c.method()).toList());
    }

    @Test
    void shardsPartitionTheGrid() throws IOException {
        Grid g = Grid.read(FIXTURES.resolve("grid.yaml"));
        List<Cell> one = g.shard(1, 2);
        List<Cell> two = g.shard(2, 2);
        assertEquals(g.cells().size(), one.size() + two.size());
        assertTrue(one.stream().noneMatch(two::contains));
        assertEquals(g.cells(), g.shard(1, 1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown top-level field|models: [../models/convnet.fovea]\\ndata: [../data/fashion-mnist-1k]\\nrunz: []\\n|spec.yaml:3:7: runz: unknown field (fields: name, models",
            "unknown run type|RUNS  - {type: attak}|spec.yaml:4:12: runs[0].type: unknown run type 'attak' (known: attack, explain, augment, eval, audit)",
            "unknown field|RUNS  - {type: attack, method: fgsm, stepz: 3}|spec.yaml:4:41: runs[0].stepz: unknown field of attack runs (fields: method, norm, eps",
            "unknown method|RUNS  - {type: attack, method: [fgsm, pgdd]}|spec.yaml:4:35: runs[0].method[1]: unknown attack 'pgdd' (known: fgsm",
            "unknown explain method|RUNS  - {type: explain, method: salincy}|spec.yaml:4:29: runs[0].method: unknown method 'salincy' (known: ",
            "unknown corruption|RUNS  - {type: augment, corruptions: [fog2]}|spec.yaml:4:34: runs[0].corruptions: unknown corruption 'fog2' (known: all,",
            "unknown option|RUNS  - {type: attack, method: cw, options: {kapa: 2}}|spec.yaml:4:48: runs[0].options.kapa: not an option of cw (options: searchSteps, initialConst, kappa",
            "bad value|RUNS  - {type: attack, method: fgsm, eps: [2]}|spec.yaml:4:39: runs[0].eps: eps values must be in [0,1]",
            "empty axis|RUNS  - {type: attack, method: []}|spec.yaml:4:28: runs[0].method: an empty list: this axis expands to zero cells",
            "empty runs|HEADruns: []|spec.yaml:3:7: runs: an empty list: the grid would have no cells",
            "exclude of everything|RUNS  - {type: eval}\\nexclude: [{type: eval}]|spec.yaml:5:10: exclude: removes every one of the grid's 2 cells",
            "exclude of an unknown axis|RUNS  - {type: eval}\\nexclude: [{modle: x}]|spec.yaml:5:19: exclude[0].modle: exclude: unknown axis (axes: model, data, seed, type",
            "malformed YAML|RUNS  - {type: eval|spec.yaml:4:16: malformed YAML: while parsing a flow mapping; expected ',' or '}', but got <stream end>",
    })
    void mistakesNameTheirLineAndField(String name, String spec, String message) {
        String yaml = spec.replace("\\n", "\n").replace("RUNS", HEAD + "runs:\n").replace("HEAD", HEAD);
        SpecException e = assertThrows(SpecException.class, () -> grid(yaml));
        assertTrue(e.getMessage().startsWith(message), name + ": " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void aMissingModelIsNamedWithItsLineBeforeAnyModelOpens() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> grid("models: [../models/convnet.fovea, ../models/gone.fovea]\n"
                + "data: [../data/fashion-mnist-1k]\nruns: [{type: eval}]\n"));
        assertTrue(e.getFile().endsWith("gone.fovea"), e.getFile());
        assertEquals("no such model file (spec.yaml:1:35: models[1])", e.getReason());
    }
}
