package dev.fovea.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.DataFiles;
import dev.fovea.data.DataSpec;
import dev.fovea.data.Dataset;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.ImageFolder;
import dev.fovea.image.Images;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The digests of {@link Digests} against SHA-256 computed here over the bytes they are defined on, and against
 * {@code fixtures/golden/digests.json}, which {@code fixtures/make_digest_golden.py} computed with Python's
 * hashlib and NumPy (and, for the image folder, with the {@code sha256sum} pipeline README.md gives).
 */
class DigestsTest {
    static final Path SLICE = FixturePaths.fixture("data", "fashion-mnist-1k");

    @TempDir
    Path dir;

    static String sha(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static JsonNode golden() throws IOException {
        return new ObjectMapper().readTree(FixturePaths.fixture("golden", "digests.json").toFile());
    }

    @Test
    void aFileIsDigestedOverItsBytesAsSha256sumPrintsIt() throws Exception {
        Path images = SLICE.resolve("t10k-images-idx3-ubyte.gz");
        Path labels = SLICE.resolve("t10k-labels-idx1-ubyte.gz");
        DataFiles f = DataFiles.of(images, labels);
        assertEquals(sha(Files.readAllBytes(images)), Digests.sha256(f));
        assertEquals(sha(Files.readAllBytes(labels)), Digests.labelsSha256(f));
        JsonNode g = golden().get("idx");
        assertEquals(g.get("data_sha256").asText(), Digests.sha256(f));
        assertEquals(g.get("labels_sha256").asText(), Digests.labelsSha256(f));
    }

    @Test
    void theSelectedSamplesAreDigestedAsLittleEndianFloatsThenInts() throws Exception {
        Dataset all = DataSpec.load(SLICE.toString(), null);
        byte[] raw;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(SLICE.resolve("t10k-images-idx3-ubyte.gz")))) {
            raw = in.readAllBytes();
        }
        byte[] lab;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(SLICE.resolve("t10k-labels-idx1-ubyte.gz")))) {
            lab = in.readAllBytes();
        }
        int n = 12;
        ByteBuffer b = ByteBuffer.allocate(n * 784 * 4 + n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n * 784; i++) {
            b.putFloat((raw[16 + i] & 0xff) / 255f);
        }
        for (int i = 0; i < n; i++) {
            b.putInt(lab[8 + i] & 0xff);
        }
        Dataset first = all.limit(n);
        assertEquals(sha(b.array()), Digests.subsetSha256(first));
        JsonNode subsets = golden().get("idx").get("subsets");
        assertEquals(subsets.get("limit_12").asText(), Digests.subsetSha256(first));
        assertEquals(subsets.get("per_class_2").asText(), Digests.subsetSha256(all.perClass(2)));
        assertEquals(subsets.get("per_class_2_limit_5").asText(), Digests.subsetSha256(all.perClass(2).limit(5)));
        // a selection keeps the files it was made from, and with them the files' digest
        assertEquals(all.files(), first.files());
    }

    @Test
    void anImageWithoutLabelsIsDigestedOverItsPixelsAlone() throws Exception {
        Tensor x = Tensor.of(new float[] {0f, 0.5f, 1f, -0f}, 1, 1, 2, 2);
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x.data()) {
            b.putFloat(v);
        }
        assertEquals(sha(b.array()), Digests.subsetSha256(x, null));
        JsonNode g = golden().get("image");
        Path shoe = FixturePaths.root().resolve(g.get("data").asText());
        assertEquals(g.get("data_sha256").asText(), Digests.sha256(shoe));
        assertEquals(g.get("subset_sha256").asText(), Digests.subsetSha256(Images.read(shoe, 1, 28, 28).reshape(Shape.of(1, 1, 28, 28)), null));
    }

    @Test
    void anImageFolderIsDigestedOverTheSha256sumListingOfItsImagesInByteOrder() throws Exception {
        png("dog/b.png", 0.2f);
        png("dog/a.png", 0.1f);
        png("Cat/z.png", 0.3f);
        png("cat/10.png", 0.4f);
        png("cat/9.png", 0.5f);
        Files.writeString(dir.resolve("cat/notes.txt"), "not read, not listed");
        Dataset d = ImageFolder.read(dir, Shape.of(1, 2, 2));
        assertEquals(dir, d.files().folder());
        assertNull(d.files().labels());
        StringBuilder listing = new StringBuilder();
        // byte order: upper case before lower case, "10" before "9"
        for (String f : List.of("Cat/z.png", "cat/10.png", "cat/9.png", "dog/a.png", "dog/b.png")) {
            listing.append(sha(Files.readAllBytes(dir.resolve(f)))).append("  ").append(f).append('\n');
        }
        assertEquals(listing.toString(), Digests.listing(d.files()));
        assertEquals(sha(listing.toString().getBytes(StandardCharsets.UTF_8)), Digests.sha256(d.files()));
        assertNull(Digests.labelsSha256(d.files()));
    }

    @Test
    void namesWithABackslashOrALineBreakAreEscapedAsCoreutilsEscapesThem() throws Exception {
        png("a\\b/x.png", 0.2f);
        png("c/new\nline.png", 0.3f);
        png("c/plain.png", 0.4f);
        Dataset d = ImageFolder.read(dir, Shape.of(1, 2, 2));
        String expected = "\\" + sha(Files.readAllBytes(dir.resolve("a\\b/x.png"))) + "  a\\\\b/x.png\n"
                + "\\" + sha(Files.readAllBytes(dir.resolve("c/new\nline.png"))) + "  c/new\\nline.png\n"
                + sha(Files.readAllBytes(dir.resolve("c/plain.png"))) + "  c/plain.png\n";
        assertEquals(expected, Digests.listing(d.files()));
    }

    @Test
    void theBundledImageFolderHasTheDigestsOfTheGoldenFile() throws Exception {
        JsonNode g = golden().get("folder");
        Dataset d = DataSpec.load(FixturePaths.root().resolve(g.get("data").asText()).toString(), null, null, Shape.of(1, 28, 28),
                DataSpec.FASHION_MNIST_CLASSES);
        assertEquals(g.get("listing").asText(), Digests.listing(d.files()));
        assertEquals(g.get("data_sha256").asText(), Digests.sha256(d.files()));
        assertEquals(g.get("subset_sha256").asText(), Digests.subsetSha256(d));
    }

    private void png(String relative, float value) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Images.writePng(p, Tensor.full(Shape.of(1, 2, 2), value));
    }
}
