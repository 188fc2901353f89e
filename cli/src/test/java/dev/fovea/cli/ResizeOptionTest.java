package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import dev.fovea.image.Images;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --resize}: every command that reads image files takes it from {@link ResizeOption}, a wrong mode is one line
 * naming the choices, and a data set whose images are resized or converted is said in one notice line per run (none
 * when nothing was done), recorded in the JSON as {@code data_fitting}.
 */
class ResizeOptionTest {
    static final String MODEL = FixturePaths.fixture("models", "lenet5.fovea").toString();

    @TempDir
    Path dir;

    /** An image folder for lenet5's classes: two images each of Trouser and Bag, {@code channels x height x width}. */
    private Path folder(int channels, int height, int width) throws IOException {
        Path root = dir.resolve("images-" + channels + "x" + height + "x" + width);
        int seed = 0;
        for (String c : List.of("Trouser", "Bag")) {
            Files.createDirectories(root.resolve(c));
            for (int i = 0; i < 2; i++) {
                Images.writePng(root.resolve(c).resolve(i + ".png"), Tensor.uniform(Shape.of(channels, height, width), 0f, 1f, seed++));
            }
        }
        return root;
    }

    private static List<String> lines(String err) {
        return err.lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void everyCommandThatReadsImageFilesTakesIt() {
        int with = 0;
        for (Map.Entry<String, CommandSpec> c : SharedOptionsTest.commands().entrySet()) {
            CommandSpec spec = c.getValue();
            boolean readsImages = c.getKey().equals("predict") || spec.findOption("--image") != null
                    || (spec.findOption("--data") != null && !c.getKey().equals("explain plane"));
            OptionSpec r = spec.findOption("--resize");
            if (!readsImages) {
                assertEquals(null, r, c.getKey() + " reads no image files");
                continue;
            }
            assertNotNull(r, c.getKey() + " takes --resize");
            assertEquals(ResizeOption.class, ((Field) r.userObject()).getDeclaringClass(), c.getKey() + " --resize");
            assertEquals("center-crop", r.defaultValue(), c.getKey());
            with++;
        }
        assertTrue(with >= 16, with + " commands with --resize");
        String help = CliRun.of("eval", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("--resize=MODE How image files of another size are fitted to the model's input: center-crop, stretch, pad"
                + " (default: center-crop)"), help);
        assertTrue(help.contains("torchvision's Resize + CenterCrop"), help);
    }

    @Test
    void aWrongModeIsOneLineListingTheChoices() {
        CliRun r = CliRun.of("eval", "-m", MODEL, "--data", dir.toString(), "--resize", "crop");
        assertEquals(Cli.USAGE, r.code(), r.toString());
        assertEquals(List.of("fovea eval: --resize: expected one of center-crop, stretch, pad, got 'crop'"), lines(r.err()));
    }

    @Test
    void resizingAndConvertingAreSaidOnceAndRecorded() throws IOException {
        Path images = folder(3, 30, 40);
        Path json = dir.resolve("eval.json");
        CliRun r = CliRun.of("eval", "-m", MODEL, "--data", images.toString(), "--json", json.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of("fovea eval: note: " + images + ": resizing 4 images from 40x30 to 28x28 (center-crop, antialiased);"
                + " converting 4 RGB images to gray for a 1-channel model"), lines(r.err()));
        JsonNode fitting = new ObjectMapper().readTree(json.toFile()).get("data_fitting");
        assertEquals("center-crop", fitting.get("resize").asText());
        assertEquals(4, fitting.get("resized").asInt());
        assertEquals(4, fitting.get("to_gray").asInt());
        assertEquals("40x30", fitting.get("smallest").asText());

        CliRun stretched = CliRun.of("eval", "-m", MODEL, "--data", images.toString(), "--resize", "stretch", "--json", json.toString());
        assertEquals(0, stretched.code(), stretched.toString());
        assertEquals(1, lines(stretched.err()).size(), stretched.toString());
        assertTrue(stretched.err().contains("to 28x28 (stretch, antialiased)"), stretched.toString());
        assertEquals("stretch", new ObjectMapper().readTree(json.toFile()).get("data_fitting").get("resize").asText());
    }

    @Test
    void imagesOfTheModelsShapeNeedNoNotice() throws IOException {
        CliRun r = CliRun.of("eval", "-m", MODEL, "--data", folder(1, 28, 28).toString(), "--resize", "pad");
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of(), lines(r.err()));
    }

    @Test
    void predictSaysItOnceForAllItsImages() throws IOException {
        Path images = folder(1, 56, 56);
        CliRun r = CliRun.of("predict", "-m", MODEL, images.resolve("Bag/0.png").toString(), images.resolve("Bag/1.png").toString(),
                images.resolve("Trouser/0.png").toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of("fovea predict: note: 3 images: resizing 3 images from 56x56 to 28x28 (center-crop, antialiased)"), lines(r.err()));
        assertEquals(3, lines(r.out()).size(), r.toString());
    }
}
