package dev.fovea.cli;

import dev.fovea.audit.ProgressListener;
import dev.fovea.audit.report.ExplainSection;
import dev.fovea.audit.report.Provenance;
import dev.fovea.audit.report.Report;
import dev.fovea.audit.run.ExplainRun;
import dev.fovea.data.Dataset;
import dev.fovea.explain.Attribution;
import dev.fovea.explain.ExplainConfig;
import dev.fovea.explain.Explainers;
import dev.fovea.explain.IntegratedGradients;
import dev.fovea.explain.Lime;
import dev.fovea.io.Digests;
import dev.fovea.method.OptionInfo;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code fovea explain METHOD}: attribution maps of a model's decisions for a data set or one image, written as
 * {@code explain.json}, {@code attributions.npy} and a labelled grid of input, heat map and overlay per sample.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {ExplainVisualizeCommand.class, ExplainFiltersCommand.class, ExplainFeaturesCommand.class, ExplainTopCommand.class,
                ExplainPlaneCommand.class, ExplainSanityCommand.class, ExplainDeletionCommand.class, ExplainRobustnessCommand.class},
        description = {"Explain a model's decisions with an attribution method: maps as .npy, a report and heat-map grids.",
                "'fovea explain --list' describes the methods."})
public final class ExplainCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "METHOD", completionCandidates = Choices.Attributions.class,
            description = "Attribution method, one of ${COMPLETION-CANDIDATES} (--list describes them).")
    String method;

    /** {@code --list}'s line of a method, each followed by the lines of its own options. */
    private static final Table METHODS = Table.of(Table.left("", 21), Table.left("")).gap(1);

    @Option(names = "--list", description = "Describe every method and exit.")
    boolean list;

    @Mixin
    ModelOptions.Optional model;

    @Option(names = "--data", paramLabel = "SPEC", description = "Data to explain (e.g. fixtures/data/fashion-mnist-1k).")
    String data;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--image", paramLabel = "FILE", description = "One image file instead of --data.")
    Path image;

    @Option(names = "--target", defaultValue = "pred", paramLabel = "label|pred|CLASS",
            description = "Class explained: the label, the prediction, or a class index or name (default: ${DEFAULT-VALUE}).")
    String target;

    // The methods' own options: each method reads those it has by their library names (Flags.values); one typed for
    // a method that does not read it gets a warning (IgnoredOptions). Their defaults are the library's
    // (ExplainCommandTest checks).
    @Option(names = "--steps", paramLabel = "N", defaultValue = "32", description = "Integrated Gradients: integration points, at most 10000 (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--rule", defaultValue = "gauss-legendre", paramLabel = "RULE", completionCandidates = Choices.Rules.class,
            description = "Integrated Gradients: quadrature rule, one of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    IntegratedGradients.Rule rule;

    @Option(names = "--baseline", defaultValue = "black", paramLabel = "BASELINE", completionCandidates = Choices.Baselines.class,
            description = "Integrated Gradients, DeepLift: reference input, one of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    IntegratedGradients.Baseline baseline;

    @Option(names = "--baseline-image", paramLabel = "FILE", description = "The reference image for --baseline image (ignored, with a warning, for the other baselines).")
    Path baselineImage;

    // No default of its own: SmoothGrad and VarGrad take 32 noisy copies, LIME and KernelSHAP 25 samples.
    @Option(names = "--samples", paramLabel = "N",
            description = "SmoothGrad, VarGrad: noisy copies (default 32); LIME, KernelSHAP: perturbed samples (default 25); at most 10000.")
    Integer samples;

    @Option(names = "--noise", paramLabel = "SIGMA", defaultValue = "0.15",
            description = "SmoothGrad, VarGrad: noise std as a fraction of the pixel range (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--layer", paramLabel = "NAME", description = "The CAM methods, Guided Grad-CAM: layer (default: the last convolutional one).")
    String layer;

    @Option(names = "--window", paramLabel = "PX", defaultValue = "4", description = "Occlusion: square size in pixels (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--stride", paramLabel = "PX", defaultValue = "2", description = "Occlusion: step in pixels (default: ${DEFAULT-VALUE}).")
    int stride;

    @Option(names = "--baseline-value", paramLabel = "VALUE", defaultValue = "0", description = "Occlusion: value of the square; feature ablation, LIME, KernelSHAP: value of a feature switched off (default: ${DEFAULT-VALUE}).")
    double baselineValue;

    @Option(names = "--references", paramLabel = "N", defaultValue = "10",
            description = "DeepLiftShap, GradientShap: reference images drawn uniformly from the seed (default: ${DEFAULT-VALUE}).")
    int references;

    @Option(names = "--draws", paramLabel = "N", defaultValue = "5", description = "GradientShap: random points per sample (default: ${DEFAULT-VALUE}).")
    int draws;

    @Option(names = "--stdevs", paramLabel = "SIGMA", defaultValue = "0", description = "GradientShap: noise std added to the input, in pixel units (default: ${DEFAULT-VALUE}).")
    double stdevs;

    @Option(names = "--lrp-rule", defaultValue = "epsilon", paramLabel = "RULE",
            description = "LRP: rule of convolution and linear layers, epsilon or alpha-beta (default: ${DEFAULT-VALUE}).")
    String lrpRule;

    @Option(names = "--epsilon", paramLabel = "EPSILON", defaultValue = "1e-9", description = "LRP: stabiliser of the denominators (default: ${DEFAULT-VALUE}).")
    double epsilon;

    // one flag for the option both LRP and LIME call alpha: each method takes its own default when it is not given
    @Option(names = "--alpha", paramLabel = "ALPHA", description = "LRP alpha-beta: weight of positive contributions (default: 1); LIME: lasso or ridge penalty (default: 0.01).")
    Double alpha;

    @Option(names = "--beta", paramLabel = "BETA", defaultValue = "0", description = "LRP alpha-beta: weight of negative contributions, alpha - beta = 1 (default: ${DEFAULT-VALUE}).")
    double beta;

    @Mixin
    SuperpixelOptions superpixels;

    @Option(names = "--kernel-width", paramLabel = "WIDTH", defaultValue = "1.0", description = "LIME: width of the kernel on the cosine distance (default: ${DEFAULT-VALUE}).")
    double kernelWidth;

    @Option(names = "--surrogate", defaultValue = "lasso", paramLabel = "MODEL", completionCandidates = Choices.Surrogates.class,
            description = "LIME: linear model fitted, one of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Lime.Surrogate surrogate;

    @Mixin
    MethodOptions methodOptions;

    @Option(names = "--score", defaultValue = "logit", paramLabel = "SCORE", completionCandidates = Choices.Scores.class,
            description = "What is explained of the target, one of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ExplainConfig.Score score;

    @Mixin
    SeedOption seed;

    @Mixin
    BatchOptions batch;

    @Mixin
    OutputOptions.Optional out;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        if (list) {
            for (Attribution a : Explainers.all()) {
                o.println(METHODS.line(a.name(), a.describe()));
                String own = MethodOptions.listed(a.optionInfo());
                if (own != null) {
                    o.println(own);
                }
            }
            o.println();
            o.println("Tools (fovea explain TOOL --help):");
            Table tools = Table.of(Table.left("", 19), Table.left("")).gap(1).indent(2);
            for (picocli.CommandLine sub : spec.commandLine().getSubcommands().values()) {
                tools.row(sub.getCommandName(), sub.getCommandSpec().usageMessage().description()[0]);
            }
            tools.print(o);
            o.flush();
            return Cli.OK;
        }
        Required.of(spec).need("METHOD", method != null).need("--model", model.given()).need("--out", out.given())
                .needOne("--data", "--image", (data == null ? 0 : 1) + (image == null ? 0 : 1)).check("--list");
        Attribution a = Explainers.named(method);
        Map<String, String> values = Flags.values(a.optionInfo(), spec);
        long seed = this.seed.seed;
        int batchSize = batch.size();
        values.putAll(methodOptions.text(a.optionInfo()));
        ExplainConfig cfg = new ExplainConfig(methodOptions.apply(() -> a.options(values)), score, batchSize, seed);
        List<String> methodFlags = Explainers.all().stream().flatMap(e -> e.optionInfo().stream()).map(OptionInfo::name).distinct().toList();
        Map<String, String> unused = a.unused(IgnoredOptions.given(spec, methodFlags), cfg.options());
        IgnoredOptions.warn(spec, unused, methodFlags);
        ProgressListener progress = Progress.listener(verbosity.quiet);
        try (Classifier m = model.open(batchSize)) {
            Shape in = m.inputShape();
            Map<String, String> sources = new LinkedHashMap<>();
            Map<String, Tensor> tensors = tensors(a, in, sources, unused.keySet());
            if (!tensors.isEmpty()) {
                cfg = cfg.withOptions(methodOptions.apply(() -> a.options(values, tensors)));
            }
            ExplainRun run = new ExplainRun(a, cfg, target, sources);
            out.open();
            Tensor x;
            int[] labels;
            Provenance provenance = Provenance.of("explain", seed).withCommandLine(Cli.typed(spec)).withModel(model.file(), m)
                    .withOptions(run.options());
            if (image != null) {
                ResizeOption.Read read = dataOptions.resize.read(List.of(image), in);
                ResizeOption.notice(spec, image.toString(), read.fitting());
                x = read.images();
                labels = null;
                provenance = provenance.withData(image.toString(), Digests.sha256(image), read.fitting()).withSubset(x, null);
            } else {
                Dataset d = dataOptions.load(data, m);
                if (d.classNames().size() != m.classes()) {
                    throw new IOException(data + ": has " + d.classNames().size() + " classes, the model " + m.classes());
                }
                x = d.images();
                labels = d.labels();
                provenance = dataOptions.provenance(provenance, d);
            }
            String source = provenance.data();
            ExplainRun.Result r = run.run(m, x, labels, new ExplainRun.Listener() {
                @Override
                public ProgressListener.Task start(String name, long total, String unit) {
                    return progress.start(name, total, unit);
                }

                @Override
                public void checked() {
                    o.printf(Locale.ROOT, "%s on %s (%d images, %s), target %s%n", a.name(), source, x.dim(0), m.backend(), target);
                    o.flush();
                }
            });
            o.printf(Locale.ROOT, "%d images in %.2f s (%.1f images/s)%n", r.size(), r.seconds(), r.size() / r.seconds());
            Report.of(provenance, new ExplainSection(r)).write(out.folder());
            out.commit();
            if (r.attribution().hasDeltas()) {
                o.printf(Locale.ROOT, "completeness: max |delta| %.3g, mean |delta| %.3g%n", r.maxAbsDelta(), r.meanAbsDelta());
            }
            o.println("wrote " + out.dir() + " (explain.json, attributions.npy " + r.attribution().maps().shape() + ", grid.png)");
        }
        return Cli.OK;
    }

    /**
     * The method's tensor-valued options (Integrated Gradients' baseline image) read from the image files their
     * flags or {@code --option} name ({@code --option} first), at the model's input size {@code in} {@code [C,H,W]},
     * each file put in {@code sources}; an option given neither way, or one the method will not read
     * ({@code unused}), is left out.
     */
    private Map<String, Tensor> tensors(Attribution a, Shape in, Map<String, String> sources, java.util.Set<String> unused) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (OptionInfo info : a.optionInfo()) {
            if (unused.contains(info.name())) {
                continue;
            }
            OptionSpec flag = info.type().equals("tensor") ? Flags.option(info.name(), spec) : null;
            String given = info.type().equals("tensor") ? methodOptions.values().get(info.name()) : null;
            Path file = given != null ? Path.of(given) : flag != null ? flag.getValue() : null;
            if (file != null) {
                ResizeOption.Read read = dataOptions.resize.read(List.of(file), in);
                ResizeOption.notice(spec, file.toString(), read.fitting());
                out.put(info.name(), read.images().reshape(in));
                sources.put(info.name(), file.toString());
            }
        }
        return out;
    }
}
