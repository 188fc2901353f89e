package dev.fovea.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.Version;
import dev.fovea.data.Dataset;
import dev.fovea.image.Images;
import dev.fovea.io.AtomicFiles;
import dev.fovea.io.Digests;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** What the visualisation and trust-check commands share: the JSON summary's provenance, and writing it. */
final class ExplainReports {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ExplainReports() {
    }

    /** A summary object with the command, seed, versions and the SHA-256 of model and data (either may be null). */
    static ObjectNode summary(String command, long seed, Path modelFile, Classifier model, Dataset data) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("command", command);
        root.put("seed", seed);
        if (modelFile != null) {
            root.put("model", modelFile.toString());
            root.put("model_sha256", Digests.sha256(modelFile));
        }
        if (model != null) {
            root.put("backend", model.backend());
        }
        if (data != null) {
            root.put("data", data.source());
            root.put("data_sha256", Digests.sha256(data));
            root.put("n", data.size());
        }
        root.put("fovea_version", Version.VERSION);
        root.put("java_version", System.getProperty("java.version"));
        return root;
    }

    static void write(Path file, ObjectNode json) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(json);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** Sample {@code i} of a batch as {@code [C,H,W]}. */
    static Tensor sample(Tensor batch, int i) {
        int per = batch.shape().sizeFrom(1);
        return new Tensor(batch.shape().tail(), Arrays.copyOfRange(batch.data(), i * per, (i + 1) * per));
    }

    /** {@code [C,H,W]} rescaled to fill [0,1] (min to 0, max to 1), for showing weights and activations. */
    static Tensor stretched(Tensor chw) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : chw.data()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        float[] out = new float[chw.size()];
        float span = hi - lo;
        for (int i = 0; i < out.length; i++) {
            out[i] = span > 0 ? (chw.data()[i] - lo) / span : 0f;
        }
        return new Tensor(chw.shape(), out);
    }

    /** Rows of at most {@code per} items. */
    static <T> java.util.List<java.util.List<T>> rows(java.util.List<T> items, int per) {
        java.util.List<java.util.List<T>> out = new java.util.ArrayList<>();
        for (int i = 0; i < items.size(); i += per) {
            out.add(items.subList(i, Math.min(items.size(), i + per)));
        }
        return out;
    }

    /**
     * Tiles of {@code [C,H,W]} tensors in [0,1] (1 or 3 channels), {@code perRow} to a row, scaled up {@code scale}
     * times without smoothing, each with a short caption under it.
     */
    static void tiles(Path file, java.util.List<Tensor> items, java.util.List<String> captions, int perRow, int scale, String title)
            throws IOException {
        int h = items.get(0).dim(1) * scale;
        int w = items.get(0).dim(2) * scale;
        int pad = 6;
        int cap = 14;
        int top = title == null ? 0 : 22;
        int cols = Math.min(perRow, items.size());
        int rowsN = (items.size() + perRow - 1) / perRow;
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(Math.max(pad + cols * (w + pad), 240),
                top + pad + rowsN * (h + cap + pad), java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(java.awt.Color.DARK_GRAY);
        if (title != null) {
            g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 12));
            g.drawString(title, pad, 16);
        }
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 10));
        for (int i = 0; i < items.size(); i++) {
            Tensor t = items.get(i);
            int x0 = pad + (i % perRow) * (w + pad);
            int y0 = top + pad + (i / perRow) * (h + cap + pad);
            int c = t.dim(0);
            int th = t.dim(1);
            int tw = t.dim(2);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = (y / scale) * tw + x / scale;
                    int r = level(t.data()[p]);
                    int gr = c == 3 ? level(t.data()[th * tw + p]) : r;
                    int b = c == 3 ? level(t.data()[2 * th * tw + p]) : r;
                    img.setRGB(x0 + x, y0 + y, (r << 16) | (gr << 8) | b);
                }
            }
            g.setColor(java.awt.Color.DARK_GRAY);
            g.drawString(captions.get(i), x0, y0 + h + 11);
        }
        g.dispose();
        Images.writePng(file, img);
    }

    private static int level(float v) {
        return Math.round(255 * Math.max(0f, Math.min(1f, Float.isNaN(v) ? 0f : v)));
    }
}
