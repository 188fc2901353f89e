package dev.fovea.audit.batch;

import dev.fovea.audit.AuditContext;
import dev.fovea.audit.AuditPlan;
import dev.fovea.audit.AuditReport;
import dev.fovea.audit.AuditRunner;
import dev.fovea.audit.Gate;
import dev.fovea.audit.ProgressListener;
import dev.fovea.audit.report.Json;
import dev.fovea.audit.report.Provenance;
import dev.fovea.audit.report.Report;
import dev.fovea.audit.report.Section;
import dev.fovea.data.Dataset;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelFile;
import dev.fovea.model.Network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code audit} cell: a whole {@code fovea audit} ({@link AuditRunner}) of the cell's model, written as the
 * audit writes it ({@code index.html}, {@code report.json}, a folder per section), which the batch page links.
 * Fields: {@code profile} ({@code quick}, {@code standard}, {@code thorough}; default quick), {@code plan} (a map of
 * the audit plan's fields that override the profile's, as a plan file's do), {@code images} (the first N audited),
 * {@code sections} (default all) and {@code fail_under} (release gates, as {@code --fail-under} writes them). The
 * resolved plan is the audit plan written out for the model ({@link AuditPlan#asMap}). Metrics: everything the
 * audit measured (the names the gates use: {@code clean}, {@code pgd-linf@0.1}...), and {@code gates_passed}
 * (1 or 0) when there are gates.
 */
public final class AuditCell implements CellType {
    @Override
    public String name() {
        return "audit";
    }

    @Override
    public String describe() {
        return "a whole audit: model card, robustness, corruptions, attributions, what it learned, gates (fovea audit)";
    }

    @Override
    public List<Field> fields() {
        return List.of(Field.scalar("profile", "quick, standard or thorough (default: quick)"),
                Field.map("plan", "audit plan fields overriding the profile's, as in a plan file"),
                Field.scalar("images", "the first N images audited (default: the profile's)"),
                Field.list("sections", "sections to run (default: all registered)"),
                Field.list("fail_under", "release gates, such as 'pgd-linf@8/255=0.3'"));
    }

    @Override
    public Map<String, Object> resolve(Map<String, Object> given, Classifier model) {
        AuditPlan.Profile profile = OptionInfo.parse(AuditPlan.Profile.class, "profile", Values.text(given, "profile", "quick"));
        AuditPlan plan = AuditPlan.of(profile, model.inputShape(), Values.seed(given));
        Object overrides = given.get("plan");
        if (overrides != null) {
            if (!(overrides instanceof Map)) {
                throw new InvalidOptionException("plan", "plan: expected a map of audit plan fields, got '" + overrides + "'");
            }
            plan = overridden(plan, overrides);
        }
        Integer images = Values.integer(given, "images");
        if (images != null) {
            plan = plan.withImages(images);
        }
        List<Object> s = Values.list(given, "sections");
        List<String> sections = s == null ? null : s.stream().map(String::valueOf).toList();
        List<AuditRunner.Step> steps = AuditRunner.select(sections);
        List<Object> g = Values.list(given, "fail_under");
        List<Gate> gates = g == null ? List.of() : Gate.parse(String.join(",", g.stream().map(String::valueOf).toList()));
        AuditRunner.checkGates(gates, steps);
        plan = AuditRunner.prepare(plan, model.inputShape(), gates);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("audit", plan.asMap());
        r.put("sections", steps.stream().map(AuditRunner.Step::name).toList());
        if (g != null) {
            r.put("fail_under", g.stream().map(String::valueOf).toList());
        }
        r.put("seed", Values.seed(given));
        return r;
    }

    /** {@code plan} overridden by a plan file's fields, given as a map (the audit reads them from a file: one is written for it). */
    private static AuditPlan overridden(AuditPlan plan, Object fields) {
        try {
            Path file = Files.createTempFile("fovea-audit-plan", ".json");
            try {
                Files.write(file, Json.bytes(fields));
                return plan.overriddenBy(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvalidOptionException e) {
            String m = String.valueOf(e.getMessage());
            throw new InvalidOptionException("plan", "plan: " + m.substring(m.indexOf(": ") + 2));
        }
    }

    @Override
    public Plan plan(Map<String, Object> resolved) {
        Map<String, Object> r = Map.copyOf(resolved);
        AuditPlan plan = Json.MAPPER.convertValue(r.get("audit"), AuditPlan.class);
        List<String> sections = Values.list(r, "sections").stream().map(String::valueOf).toList();
        List<Object> g = Values.list(r, "fail_under");
        List<Gate> gates = g == null ? List.of() : Gate.parse(String.join(",", g.stream().map(String::valueOf).toList()));
        return new Plan() {
            @Override
            public long passes(int n) {
                int images = plan.images() == null ? n : Math.min(n, plan.images());
                long per = 1;
                for (AuditPlan.AttackSpec a : plan.attacks()) {
                    int k = a.images() == null ? images : Math.min(images, a.images());
                    per += (long) (a.eps() == null ? 4 : a.eps().size()) * (a.steps() == null ? 10 : a.steps()) * k / Math.max(1, images);
                }
                return per * images + 40L * images;
            }

            @Override
            public Outcome run(Classifier model, Dataset data, Provenance provenance, ProgressListener progress) throws IOException {
                Path file = Path.of(provenance.model());
                Network net = ModelFile.isFovea(file) ? ModelFile.load(file) : null;
                AuditContext context = new AuditContext(model, file, net, data, plan, progress, null);
                AuditReport report = AuditRunner.run(context, AuditRunner.select(sections), gates, new AuditRunner.Listener() {
                    @Override
                    public ProgressListener.Task start(String name, long total, String unit) {
                        return progress.start(name, total, unit);
                    }
                });
                Provenance p = provenance.withData(context.data()).withOptions(Map.of("profile", plan.profile(), "sections", sections));
                List<Metric> m = new ArrayList<>();
                new TreeMap<>(report.json(p).measured()).forEach((k, v) -> m.add(Metric.of(k, v)));
                if (!gates.isEmpty()) {
                    m.add(Metric.of("gates_passed", report.passed() ? 1 : 0));
                }
                return new Outcome(Report.of(p, new Written(report, p)), m, "index.html");
            }
        };
    }

    /** The audit's own files as the one section of the cell's report: {@code index.html}, {@code report.json}, a folder per section. */
    private record Written(AuditReport report, Provenance provenance) implements Section {
        @Override
        public String name() {
            return "audit";
        }

        @Override
        public Object json(Provenance p) {
            return Map.of("report", "report.json", "page", "index.html", "verdict", report.verdict(), "provenance", p);
        }

        @Override
        public List<String> writeFiles(Path dir) throws IOException {
            return report.write(dir, provenance);
        }

        @Override
        public double seconds() {
            return report.totalSeconds();
        }
    }
}
