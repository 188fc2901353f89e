package dev.fovea.image.corrupt;

import dev.fovea.tensor.Tensor;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SHA-256 of every registered corruption's output at every severity on fixed images, one line per corruption; run
 * as a program in child JVMs with different thread counts, whose lines must agree.
 */
public final class CorruptionDigest {
    private CorruptionDigest() {
    }

    /** Fixed images {@code [n,c,h,w]} with values spread over {@code [0,1]}, the same in every JVM. */
    static Tensor images(int n, int c, int h, int w, long seed) {
        return Tensor.uniform(dev.fovea.tensor.Shape.of(n, c, h, w), 0f, 1f, seed);
    }

    static Map<String, String> digests() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        Tensor colour = images(6, 3, 32, 32, 11);
        Tensor gray = images(6, 1, 28, 28, 12);
        for (Corruption<?> c : Corruptions.all()) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (int s = 1; s <= 5; s++) {
                update(md, c.apply(colour, s, 7));
                if (!c.colourOnly()) {
                    update(md, c.apply(gray, s, 7));
                }
            }
            out.put(c.name(), HexFormat.of().formatHex(md.digest()));
        }
        return out;
    }

    private static void update(MessageDigest md, Tensor t) {
        ByteBuffer b = ByteBuffer.allocate(4 * t.size());
        for (float v : t.data()) {
            b.putFloat(v);
        }
        md.update(b.array());
    }

    public static void main(String[] args) throws Exception {
        for (Map.Entry<String, String> e : digests().entrySet()) {
            System.out.println(e.getKey() + " " + e.getValue());
        }
    }
}
