package dev.fovea.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.attacks.Diagnostics;
import dev.fovea.attacks.Norm;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code fovea attack --diagnostics}: runs {@link Diagnostics} with the standard setup (PGD against FGSM or FGM,
 * and the black-box {@code square} attack when registered) over the command's budgets, prints a pass/warn table and
 * returns the {@code diagnostics} array of {@code attack.json} ({@code name}, {@code status}, {@code evidence} and
 * the numbers).
 */
final class DiagnosticsReport {
    private DiagnosticsReport() {
    }

    /** Throws a usage error when the budgets cannot be diagnosed. */
    static void check(List<Double> budgets) {
        if (budgets.stream().noneMatch(e -> e > 0)) {
            throw new UsageException("--diagnostics needs at least one positive --eps");
        }
    }

    static ArrayNode run(Classifier m, Tensor x, int[] y, Norm norm, List<Double> budgets, long seed, PrintWriter o, ObjectMapper mapper,
                         boolean quiet) {
        Diagnostics.Setup setup = Diagnostics.Setup.standard(norm, budgets, seed);
        List<Diagnostics.Check> checks;
        try (Progress bar = Progress.start("diagnostics", setup.runs(), "run", quiet)) {
            checks = Diagnostics.run(m, x, y, setup, what -> bar.step(1, what));
        }
        o.printf(Locale.ROOT, "gradient-masking diagnostics (%s vs %s%s):%n", setup.iterative().name(), setup.singleStep().name(),
                setup.blackBox() == null ? "; no black-box attack registered, white_vs_black not run" : " and " + setup.blackBox().name());
        ArrayNode out = mapper.createArrayNode();
        for (Diagnostics.Check c : checks) {
            o.printf(Locale.ROOT, "  %-20s %-4s  %s%n", c.name(), c.status().name().toLowerCase(Locale.ROOT), c.evidence());
            ObjectNode j = out.addObject();
            j.put("name", c.name());
            j.put("status", c.status().name().toLowerCase(Locale.ROOT));
            j.put("evidence", c.evidence());
            ObjectNode nums = j.putObject("numbers");
            for (Map.Entry<String, Object> e : c.numbers().entrySet()) {
                nums.set(e.getKey(), mapper.valueToTree(e.getValue()));
            }
        }
        o.flush();
        return out;
    }
}
