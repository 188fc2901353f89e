package dev.fovea.io;

import dev.fovea.data.DataFiles;
import dev.fovea.data.Dataset;
import dev.fovea.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 digests for the provenance recorded in models and reports, each reproducible outside fovea:
 * <ul>
 *   <li>a file's ({@link #sha256(Path)}): the hex that {@code sha256sum FILE} prints;</li>
 *   <li>a data set's images ({@link #sha256(DataFiles)}): of one images file (IDX, {@code .npy}), that file's; of an
 *       image folder, the SHA-256 of the listing {@code sha256sum} prints for its image files, run in the folder on
 *       their paths relative to it ({@code cat/001.png}, separated by {@code /}) sorted by their UTF-8 bytes
 *       ({@code LC_ALL=C sort}): one line {@code HEX  NAME\n} per file (two spaces), a name holding a backslash,
 *       a newline or a carriage return written {@code \\}, {@code \n}, {@code \r} and its line led by a
 *       backslash, as GNU coreutils does ({@link #listing(DataFiles)});</li>
 *   <li>the samples a run used ({@link #subsetSha256(Tensor, int[])}), after any selection: the images as
 *       little-endian float32 in {@code [N,C,H,W]} order, then the labels as little-endian int32, the bytes of
 *       NumPy's {@code x.astype('<f4').tobytes() + y.astype('<i4').tobytes()}.</li>
 * </ul>
 */
public final class Digests {
    private Digests() {
    }

    /** The file's SHA-256 in lower-case hex, as {@code sha256sum FILE} prints it. */
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

    /** The SHA-256 of the images: the one images file's, or that of an image folder's {@link #listing}. */
    public static String sha256(DataFiles files) throws IOException {
        if (files.folder() == null) {
            return sha256(files.images().get(0));
        }
        return hex(listing(files).getBytes(StandardCharsets.UTF_8));
    }

    /** The labels file's SHA-256, or {@code null} when the labels are not a file of their own (an image folder). */
    public static String labelsSha256(DataFiles files) throws IOException {
        return files.labels() == null ? null : sha256(files.labels());
    }

    /**
     * What {@code sha256sum} prints, run in the image folder on its image files' relative paths in byte order:
     * {@code (cd DIR && LC_ALL=C sha256sum FILES...)} with the files sorted as {@code LC_ALL=C sort} sorts them. For
     * one images file outside a folder, the line of that file under its own name.
     */
    public static String listing(DataFiles files) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (Path f : files.images()) {
            Path rel = files.folder() == null ? f.getFileName() : files.folder().relativize(f);
            List<String> parts = new ArrayList<>();
            rel.forEach(p -> parts.add(p.toString()));
            rows.add(new String[] {String.join("/", parts), sha256(f)});
        }
        rows.sort((a, b) -> Arrays.compareUnsigned(a[0].getBytes(StandardCharsets.UTF_8), b[0].getBytes(StandardCharsets.UTF_8)));
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            String name = r[0];
            boolean escape = name.indexOf('\\') >= 0 || name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0;
            if (escape) {
                name = name.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
                out.append('\\');
            }
            out.append(r[1]).append("  ").append(name).append('\n');
        }
        return out.toString();
    }

    /** {@link #subsetSha256(Tensor, int[])} of the data set's images and labels. */
    public static String subsetSha256(Dataset d) {
        return subsetSha256(d.images(), d.labels());
    }

    /**
     * The SHA-256 of the samples: the images' float32 values, little-endian, in their {@code [N,C,H,W]} order, then
     * the labels (none when {@code labels} is {@code null}) as little-endian int32.
     */
    public static String subsetSha256(Tensor images, int[] labels) {
        MessageDigest md = sha();
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : images.data()) {
            if (b.remaining() < 4) {
                md.update(b.array(), 0, b.position());
                b.clear();
            }
            b.putFloat(v);
        }
        for (int y : labels == null ? new int[0] : labels) {
            if (b.remaining() < 4) {
                md.update(b.array(), 0, b.position());
                b.clear();
            }
            b.putInt(y);
        }
        md.update(b.array(), 0, b.position());
        return HexFormat.of().formatHex(md.digest());
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha().digest(bytes));
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
