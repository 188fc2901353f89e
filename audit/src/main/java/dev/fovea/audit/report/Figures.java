package dev.fovea.audit.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pictures of one section for its template: each PNG the section wrote into its folder, read back and given as
 * a {@code data:image/png;base64,...} URI, so the page holds every image itself (no file beside it is needed to
 * read or print it).
 */
public final class Figures {
    private final Path dir;
    private final String folder;

    /** The figures of the section written into {@code dir}, named {@code folder} in the report. */
    public Figures(Path dir, String folder) {
        this.dir = dir;
        this.folder = folder;
    }

    /** {@code src} (data URI), {@code file} (its path in the report), {@code caption} and {@code alt} of PNG {@code file}. */
    public Map<String, Object> figure(String file, String caption) throws IOException {
        byte[] png = Files.readAllBytes(dir.resolve(file));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("src", "data:image/png;base64," + Base64.getEncoder().encodeToString(png));
        m.put("file", folder + "/" + file);
        m.put("caption", caption);
        m.put("alt", caption);
        return m;
    }
}
