package dev.fovea.io;

import dev.fovea.data.Dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests of files and data sets, for the provenance recorded in models and reports. */
public final class Digests {
    private Digests() {
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest md = sha();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Digest of a data set's content: the shape, the float32 pixels (little-endian) and the int32 labels. */
    public static String sha256(Dataset d) {
        MessageDigest md = sha();
        md.update(d.images().shape().toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        float[] px = d.images().data();
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : px) {
            if (b.remaining() < 4) {
                md.update(b.array(), 0, b.position());
                b.clear();
            }
            b.putFloat(v);
        }
        for (int y : d.labels()) {
            if (b.remaining() < 4) {
                md.update(b.array(), 0, b.position());
                b.clear();
            }
            b.putInt(y);
        }
        md.update(b.array(), 0, b.position());
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
