package dev.fovea.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fovea.audit.report.AuditSection;
import dev.fovea.audit.report.HtmlReport;
import dev.fovea.audit.report.Json;
import dev.fovea.audit.report.Provenance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An audit's outcome: the sections in order with their wall times, every measurement a gate may name, the gates'
 * outcomes and the verdict. {@link #write} puts each section's files into its own folder, {@code report.json}
 * (every number the page shows, under {@link #SCHEMA_VERSION} of {@code docs/report-schema.json}) and the
 * self-contained {@code index.html} ({@link HtmlReport}) into a folder.
 */
public final class AuditReport {
    /** The version of {@code report.json}'s schema; a change that drops or renames a field raises it. */
    public static final int SCHEMA_VERSION = 1;

    private final AuditContext context;
    private final List<AuditSection> sections;
    private final Map<String, Double> seconds;
    private final double totalSeconds;
    private final Map<String, Double> measured;
    private final List<Gate.Outcome> gates;

    AuditReport(AuditContext context, List<AuditSection> sections, Map<String, Double> seconds, double totalSeconds, Map<String, Double> measured,
                List<Gate.Outcome> gates) {
        this.context = context;
        this.sections = List.copyOf(sections);
        this.seconds = Map.copyOf(seconds);
        this.totalSeconds = totalSeconds;
        this.measured = Map.copyOf(measured);
        this.gates = List.copyOf(gates);
    }

    public List<AuditSection> sections() {
        return sections;
    }

    public List<Gate.Outcome> gates() {
        return gates;
    }

    /** Whether every gate passed (true without gates). */
    public boolean passed() {
        return gates.stream().allMatch(Gate.Outcome::pass);
    }

    public AuditPlan plan() {
        return context.plan();
    }

    /** The verdict in plain words: the clean accuracy, then each section's clause, in order. */
    public String verdict() {
        List<String> clauses = new ArrayList<>();
        for (AuditSection s : sections) {
            if (s.verdict() != null) {
                clauses.add(s.verdict());
            }
        }
        String head = String.format(Locale.ROOT, "%s classifies %s of %d test images correctly", context.modelFile().getFileName(),
                percent(context.cleanAccuracy()), context.data().size());
        if (clauses.isEmpty()) {
            return head + ".";
        }
        String rest = String.join("; ", clauses);
        return head + ". " + rest.substring(0, 1).toUpperCase(Locale.ROOT) + rest.substring(1) + ".";
    }

    /** {@code 0.934} as {@code 93.4%}. */
    public static String percent(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    /** The verdict and the gates, as {@code report.json} holds them. */
    public record Verdict(String sentence, boolean gatesPassed, List<Gate.Outcome> gates) {
    }

    /** The reproducibility manifest: the provenance (wall time per section included), CPU, threads and the audit's wall time. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Manifest(Provenance provenance, String cpu, int threads, double totalSeconds) {
    }

    /** The whole of {@code report.json}. */
    public record ReportJson(String schema, int schemaVersion, Verdict verdict, Map<String, Double> measured, Map<String, Object> plan,
                             Map<String, Object> sections, Manifest manifest) {
    }

    /** The manifest of this audit with {@code provenance} (its seconds filled in here). */
    public Manifest manifest(Provenance provenance) {
        Provenance p = provenance;
        for (Map.Entry<String, Double> e : orderedSeconds().entrySet()) {
            p = p.withSeconds(e.getKey(), e.getValue());
        }
        return new Manifest(p, cpu(), Runtime.getRuntime().availableProcessors(), totalSeconds);
    }

    private Map<String, Double> orderedSeconds() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (AuditSection s : sections) {
            m.put(s.name(), seconds.get(s.name()));
        }
        return m;
    }

    /** The wall time of section {@code name}. */
    public double seconds(String name) {
        return seconds.getOrDefault(name, 0.0);
    }

    public double totalSeconds() {
        return totalSeconds;
    }

    public ReportJson json(Provenance provenance) {
        Map<String, Object> s = new LinkedHashMap<>();
        for (AuditSection a : sections) {
            s.put(a.name(), a.numbers());
        }
        Map<String, Double> m = new java.util.TreeMap<>(measured);
        return new ReportJson("fovea-audit-report", SCHEMA_VERSION, new Verdict(verdict(), passed(), gates), m, plan().asMap(), s, manifest(provenance));
    }

    /**
     * Writes the report into {@code dir} (an empty folder: a result folder's staging area): each section's files in
     * {@code dir/NAME/}, then {@code report.json} and {@code index.html}; returns the files written at the top.
     */
    public List<String> write(Path dir, Provenance provenance) throws IOException {
        ReportJson json = json(provenance);
        for (AuditSection s : sections) {
            Path sub = Files.createDirectories(dir.resolve(s.name()));
            s.writeFiles(sub);
        }
        Json.write(dir.resolve("report.json"), json);
        HtmlReport.write(dir.resolve("index.html"), this, json, dir);
        return List.of("index.html", "report.json");
    }

    /** The processor's model name from {@code /proc/cpuinfo}, else the architecture. */
    static String cpu() {
        Path info = Path.of("/proc/cpuinfo");
        try {
            if (Files.isReadable(info)) {
                for (String line : Files.readAllLines(info)) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).strip();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no cpuinfo to read: the architecture below says what is known
        }
        return System.getProperty("os.arch");
    }
}
