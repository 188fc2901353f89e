package dev.fovea.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.Version;
import dev.fovea.audit.report.Json;
import dev.fovea.data.Dataset;
import dev.fovea.io.Digests;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelSetup;
import dev.fovea.train.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code fovea eval}: accuracy, per-class accuracy and confusion matrix of a model on a data set. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a model: accuracy, per-class accuracy and the confusion matrix.")
public final class EvalCommand implements Callable<Integer> {
    @Mixin
    ModelOptions.Required modelOptions;

    @Option(names = "--data", required = true, paramLabel = "SPEC",
            description = "Data: fashion-mnist[:train|:test], an IDX images file, a folder of class folders, or an .npy array.")
    String data;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    BatchOptions batch;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON ('-': to standard output, in place of the tables).")
    Path json;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int batchSize = batch.size();
        SingleFile.check("--json", json);
        Evaluation e;
        Dataset d;
        List<String> classes;
        ModelSetup setup;
        try (Classifier model = modelOptions.open(batchSize)) {
            setup = model.setup();
            d = dataOptions.load(data, model);
            classes = model.classNames();
            if (d.classNames().size() != classes.size()) {
                throw new java.io.IOException(data + ": has " + d.classNames().size() + " classes, the model " + classes.size());
            }
            e = Evaluation.of(model.predict(d.images()), d.labels(), classes.size());
        }
        PrintWriter o = SingleFile.tables(json, spec.commandLine().getOut());
        o.printf(Locale.ROOT, "%s on %s: accuracy %.2f%% (%d of %d)%n", modelOptions.file(), d.source(), 100 * e.accuracy(),
                Math.round(e.accuracy() * e.n()), e.n());
        o.println();
        Table perClass = Table.of(Table.left("class"), Table.right("accuracy"), Table.right("n"));
        for (int c = 0; c < classes.size(); c++) {
            long n = 0;
            for (long v : e.confusion()[c]) {
                n += v;
            }
            perClass.row(classes.get(c), n == 0 ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * e.perClass()[c]), n);
        }
        perClass.print(o);
        o.println();
        o.println("confusion (rows: true class, columns: predicted)");
        Table.Column[] columns = new Table.Column[classes.size() + 1];
        columns[0] = Table.left("");
        for (int c = 0; c < classes.size(); c++) {
            columns[c + 1] = Table.right(String.valueOf(c), 3);
        }
        Table confusion = Table.of(columns).gap(1);
        for (int r = 0; r < classes.size(); r++) {
            Object[] row = new Object[classes.size() + 1];
            row[0] = r + " " + classes.get(r);
            for (int c = 0; c < classes.size(); c++) {
                row[c + 1] = e.confusion()[r][c];
            }
            confusion.row(row);
        }
        confusion.print(o);
        o.flush();
        if (json != null) {
            writeJson(e, d, classes, setup);
        }
        return Cli.OK;
    }

    private void writeJson(Evaluation e, Dataset d, List<String> classes, ModelSetup setup) throws java.io.IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("model", modelOptions.file().toString());
        root.put("model_sha256", Digests.sha256(modelOptions.file()));
        if (setup != null) {
            root.set("model_setup", Json.MAPPER.valueToTree(setup));
        }
        root.put("data", d.source());
        root.put("data_sha256", d.files() == null ? null : Digests.sha256(d.files()));
        root.put("labels_sha256", d.files() == null ? null : Digests.labelsSha256(d.files()));
        root.put("subset_sha256", Digests.subsetSha256(d));
        if (d.fitting() != null) {
            root.set("data_fitting", Json.MAPPER.valueToTree(d.fitting()));
        }
        root.put("n", e.n());
        root.put("accuracy", e.accuracy());
        ObjectNode per = root.putObject("per_class");
        for (int c = 0; c < classes.size(); c++) {
            if (Double.isNaN(e.perClass()[c])) {
                per.putNull(classes.get(c));
            } else {
                per.put(classes.get(c), e.perClass()[c]);
            }
        }
        ArrayNode names = root.putArray("classes");
        classes.forEach(names::add);
        ArrayNode conf = root.putArray("confusion");
        for (long[] row : e.confusion()) {
            ArrayNode r = conf.addArray();
            for (long v : row) {
                r.add(v);
            }
        }
        root.put("fovea_version", Version.VERSION);
        byte[] bytes = m.writeValueAsBytes(root);
        SingleFile.write(json, bytes, spec.commandLine().getOut());
    }
}
