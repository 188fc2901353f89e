package dev.fovea.audit.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import dev.fovea.audit.AuditReport;
import dev.fovea.audit.AuditRunner;
import dev.fovea.audit.Gate;
import dev.fovea.io.AtomicFiles;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The audit's page, {@code index.html}, rendered with mustache.java from the templates under
 * {@code dev/fovea/audit/report/html/}: {@code index.mustache} (the verdict box with the gates' badges, the
 * contents, one slot per section in page order, the reproducibility manifest, the style sheet) and one
 * {@code NAME.mustache} per section, filled with the section's {@link AuditSection#view}. The page is self-contained:
 * every picture is a data URI ({@link Figures}), there is no script and no external URL, and its print style sheet
 * keeps figures and tables whole on paper. Text is HTML-escaped by the templates; only the rendered section
 * fragments are inserted unescaped.
 */
public final class HtmlReport {
    private static final MustacheFactory TEMPLATES = new DefaultMustacheFactory("dev/fovea/audit/report/html");

    private HtmlReport() {
    }

    /** Renders the page of {@code report} (its numbers {@code json}, its section files under {@code dir}) into {@code file}. */
    public static void write(Path file, AuditReport report, AuditReport.ReportJson json, Path dir) throws IOException {
        byte[] html = render(report, json, dir).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, os -> os.write(html));
    }

    /** The page as a string. */
    public static String render(AuditReport report, AuditReport.ReportJson json, Path dir) throws IOException {
        Map<String, Object> page = new LinkedHashMap<>();
        AuditReport.Manifest man = json.manifest();
        Provenance p = man.provenance();
        String model = p.model() == null ? "model" : Path.of(p.model()).getFileName().toString();
        page.put("title", "fovea audit: " + model);
        page.put("model", model);
        page.put("profile", report.plan().profile());
        page.put("started", p.started().length() > 19 ? p.started().substring(0, 19).replace('T', ' ') + " UTC" : p.started());
        page.put("version", p.foveaVersion());
        page.put("verdict", json.verdict().sentence());
        List<Map<String, Object>> gates = new ArrayList<>();
        for (Gate.Outcome g : report.gates()) {
            gates.add(Map.of("rule", g.rule(), "measured", g.measured(), "pass", g.pass(),
                    "comparison", g.comparison() + " " + (g.comparison().equals("=") ? "pass" : String.format(Locale.ROOT, "%.4g", g.threshold()))));
        }
        page.put("gates", gates);
        page.put("hasGates", !gates.isEmpty());
        page.put("gatesPassed", report.passed());
        List<Map<String, Object>> toc = new ArrayList<>();
        Map<String, Object> slots = new LinkedHashMap<>();
        for (AuditSection s : report.sections()) {
            Map<String, Object> view = new LinkedHashMap<>(s.view(new Figures(dir.resolve(s.name()), s.name())));
            view.put("id", s.name());
            view.put("title", s.title());
            view.put("notes", s.notes());
            view.put("seconds", String.format(Locale.ROOT, "%.1f", report.seconds(s.name())));
            flags(view);
            StringWriter w = new StringWriter();
            TEMPLATES.compile(s.name() + ".mustache").execute(w, view).flush();
            slots.put(s.name(), Map.of("html", w.toString()));
            toc.add(Map.of("id", s.name(), "title", s.title()));
        }
        toc.add(Map.of("id", "manifest", "title", "Reproducibility"));
        page.put("toc", toc);
        page.put("sections", slots);
        page.put("manifest", manifest(report, man));
        StringWriter w = new StringWriter();
        Mustache index = TEMPLATES.compile("index.mustache");
        index.execute(w, page).flush();
        return w.toString();
    }

    /** For every list {@code xs} of a view, {@code hasXs}: whether it has items (mustache tests lists by iterating them). */
    private static void flags(Map<String, Object> view) {
        for (Map.Entry<String, Object> e : List.copyOf(view.entrySet())) {
            if (e.getValue() instanceof List<?> l) {
                view.put("has" + e.getKey().substring(0, 1).toUpperCase(Locale.ROOT) + e.getKey().substring(1), !l.isEmpty());
            }
        }
    }

    private static List<Map<String, Object>> manifest(AuditReport report, AuditReport.Manifest m) {
        Provenance p = m.provenance();
        List<Map<String, Object>> rows = new ArrayList<>();
        row(rows, "fovea", p.foveaVersion());
        row(rows, "command", p.command());
        row(rows, "Java", p.javaVersion());
        row(rows, "OS", p.os());
        row(rows, "CPU", m.cpu() + ", " + m.threads() + " threads");
        row(rows, "started", p.started());
        row(rows, "seed", Long.toString(p.seed()));
        row(rows, "model", p.model() + " (" + p.backend() + ")");
        row(rows, "model SHA-256", p.modelSha256());
        row(rows, "data", p.data());
        if (p.dataSha256() != null) {
            row(rows, "data SHA-256", p.dataSha256());
        }
        if (p.labelsSha256() != null) {
            row(rows, "labels SHA-256", p.labelsSha256());
        }
        if (p.subsetSha256() != null) {
            row(rows, "SHA-256 of the images used", p.subsetSha256());
        }
        if (p.dataFitting() != null) {
            dev.fovea.image.Fitting f = p.dataFitting();
            row(rows, "image fitting", f.describe() != null ? f.describe()
                    : "none: every image was already " + f.width() + "x" + f.height() + " (resize mode " + f.resize().spelling() + ")");
        }
        if (p.limit() != null || p.perClass() != null) {
            row(rows, "selection", (p.perClass() == null ? "" : "the first " + p.perClass() + " of each class")
                    + (p.limit() != null && p.perClass() != null ? ", then " : "") + (p.limit() == null ? "" : "the first " + p.limit()));
        }
        if (p.commandLine() != null) {
            row(rows, "command line", p.commandLine());
        }
        for (Map.Entry<String, Object> e : p.options().entrySet()) {
            row(rows, "option " + e.getKey(), String.valueOf(e.getValue()));
        }
        for (String line : report.plan().describe()) {
            row(rows, "plan", line);
        }
        List<String> times = new ArrayList<>();
        for (String name : AuditRunner.PAGE_ORDER) {
            if (p.seconds().containsKey(name)) {
                times.add(String.format(Locale.ROOT, "%s %.1f s", name, p.seconds().get(name)));
            }
        }
        times.add(String.format(Locale.ROOT, "all sections %.1f s", m.totalSeconds()));
        row(rows, "wall time", String.join(", ", times));
        return rows;
    }

    private static void row(List<Map<String, Object>> rows, String k, String v) {
        rows.add(Map.of("k", k, "v", v == null ? "" : v));
    }
}
