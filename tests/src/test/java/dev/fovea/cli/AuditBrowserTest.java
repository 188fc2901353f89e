package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The audit's page in a real browser: headless Chromium (Debian's {@code chromium}) opens {@code index.html} and the
 * test fails on a console message, an image that does not load, or a section missing from the rendered DOM. The
 * page has no script of its own: a copy of it gets a small check in its head, which records resource errors and,
 * once loaded, writes the images, broken images and section ids into the DOM that {@code --dump-dom} prints. The
 * page itself is loaded too, with Chromium's console logging on. A screenshot of the first screen goes to
 * {@code target/audit-report.png}.
 */
class AuditBrowserTest {
    static final String CHECK = """
            <script>
            window.__errors = [];
            window.addEventListener('error', function (e) {
              var t = e.target;
              window.__errors.push(t && t.tagName ? 'resource ' + t.tagName + ' ' + (t.alt || '') : 'error ' + e.message);
            }, true);
            window.addEventListener('load', function () {
              var imgs = Array.prototype.slice.call(document.images);
              var pre = document.createElement('pre');
              pre.id = 'fovea-check';
              pre.textContent = JSON.stringify({
                images: imgs.length,
                broken: imgs.filter(function (i) { return !i.complete || i.naturalWidth === 0; }).map(function (i) { return i.alt; }),
                sections: Array.prototype.slice.call(document.querySelectorAll('main > section')).map(function (s) { return s.id; }),
                verdict: document.querySelectorAll('#verdict .sentence').length,
                errors: window.__errors
              });
              document.body.appendChild(pre);
            });
            </script>
            """;

    @TempDir
    Path dir;

    /** The Chromium binary, or a failure saying how to install it: this test is never skipped. */
    static String chromium() {
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(d, name))) {
                    return Path.of(d, name).toString();
                }
            }
        }
        return fail("headless Chromium is needed to test the audit page and is not installed: apt-get install -y chromium"
                + " (.ci/run installs it when missing)");
    }

    record Run(int code, String out, String err) {
    }

    static Run chromium(Path profile, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(chromium(), "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--hide-scrollbars",
                "--disable-extensions", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(profile.getParent(), "chromium", ".out");
        Path err = Files.createTempFile(profile.getParent(), "chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("chromium did not finish within 180 s: " + cmd);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Chromium's console lines (console messages and failed loads), with {@code --enable-logging=stderr}. */
    static List<String> console(String err) {
        return err.lines().filter(l -> l.contains(":CONSOLE") || l.contains("Failed to load resource") || l.contains("net::ERR_")).toList();
    }

    @Test
    void thePageRendersInChromiumWithEverySectionEveryImageAndNoConsoleMessage() throws Exception {
        String browser = chromium();
        Path out = dir.resolve("report");
        CliRun r = CliRun.of("audit", "--plan", AuditCommandTest.PLAN.toString(), "--fail-under", "clean=0.5", "-q", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        Path page = out.resolve("index.html");
        String html = Files.readString(page);
        Path checked = dir.resolve("checked.html");
        Files.writeString(checked, html.replaceFirst("<head>", "<head>\n" + Matcher.quoteReplacement(CHECK)));

        Run dom = chromium(dir.resolve("profile1"), "--enable-logging=stderr", "--v=0", "--virtual-time-budget=15000", "--dump-dom",
                checked.toUri().toString());
        assertEquals(0, dom.code(), browser + " failed: " + dom.err());
        Matcher m = Pattern.compile("<pre id=\"fovea-check\">(.*?)</pre>", Pattern.DOTALL).matcher(dom.out());
        assertTrue(m.find(), "the check did not run (no load event?): " + dom.out().substring(0, Math.min(2000, dom.out().length())));
        JsonNode check = new ObjectMapper().readTree(m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
        List<String> sections = new ArrayList<>();
        check.get("sections").forEach(s -> sections.add(s.asText()));
        assertEquals(List.of("model", "robustness", "attributions", "learned", "manifest"), sections, "sections in the rendered DOM");
        assertEquals(1, check.get("verdict").asInt(), "the verdict");
        assertTrue(check.get("images").asInt() >= 9, "images: " + check);
        assertEquals(0, check.get("broken").size(), "images that did not load: " + check.get("broken"));
        assertEquals(0, check.get("errors").size(), "errors: " + check.get("errors"));
        assertEquals(List.of(), console(dom.err()), "console messages of the checked copy");

        Run plain = chromium(dir.resolve("profile2"), "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom",
                page.toUri().toString());
        assertEquals(0, plain.code(), plain.err());
        assertEquals(List.of(), console(plain.err()), "console messages of the page");
        assertTrue(plain.out().contains("<section id=\"robustness\">"), "the page itself renders");

        Path shot = Path.of("target", "audit-report.png").toAbsolutePath();
        Files.createDirectories(shot.getParent());
        Files.deleteIfExists(shot);
        Run s = chromium(dir.resolve("profile3"), "--screenshot=" + shot, "--window-size=1280,900", page.toUri().toString());
        assertEquals(0, s.code(), s.err());
        byte[] png = Files.readAllBytes(shot);
        assertTrue(png.length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a screenshot of the first screen: " + png.length + " bytes");
    }
}
