package dev.fovea.examples;

import dev.fovea.audit.report.AttackSection;
import dev.fovea.audit.report.ExplainSection;
import dev.fovea.audit.report.Provenance;
import dev.fovea.audit.report.Report;
import dev.fovea.audit.run.AttackRun;
import dev.fovea.audit.run.ExplainRun;
import dev.fovea.data.DataSpec;
import dev.fovea.data.Dataset;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelLoader;

import java.nio.file.Path;
import java.util.Map;

/**
 * A robustness experiment scripted against fovea's Java API: load a model, run PGD at three budgets and Integrated
 * Gradients, read the numbers, write the report folder. Run it from the repository's root with
 * {@code java --add-modules jdk.incubator.vector -cp cli/target/fovea.jar tests/src/test/java/dev/fovea/examples/RobustnessScript.java OUT}.
 */
public final class RobustnessScript {
    private RobustnessScript() {
    }

    public static void main(String[] args) throws Exception {
        Path root = args.length > 1 ? Path.of(args[1]) : Path.of(".");
        Path modelFile = root.resolve("fixtures/models/convnet.fovea");
        Path out = Path.of(args.length > 0 ? args[0] : "script-report");
        try (Classifier model = ModelLoader.open(modelFile)) {
            Dataset data = DataSpec.load(root.resolve("fixtures/data/fashion-mnist-1k").toString(), model.inputShape()).limit(100);

            AttackRun.Result pgd = AttackRun.of("pgd", 0.01, 0.03, 0.1).withSeed(1).run(model, data);
            System.out.printf("clean accuracy %.3f%n", pgd.cleanAccuracy());
            for (AttackRun.Budget b : pgd.budgets()) {
                System.out.printf("PGD eps %.2f: robust accuracy %.3f%n", b.eps(), b.robustAccuracy());
            }

            ExplainRun.Result ig = ExplainRun.of("integrated-gradients").withOptions(Map.of("steps", "64")).run(model, data.limit(8));
            System.out.printf("Integrated Gradients: max |completeness delta| %.4f%n", ig.maxAbsDelta());

            Provenance p = Provenance.of("script", 1).withModel(modelFile, model).withData(data);
            Report.of(p, new AttackSection(pgd, modelFile.getFileName().toString()), new ExplainSection(ig)).write(out);
            System.out.println("wrote " + out);
        }
    }
}
