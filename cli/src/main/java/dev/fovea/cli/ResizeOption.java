package dev.fovea.cli;

import dev.fovea.image.Fitting;
import dev.fovea.image.Images;
import dev.fovea.image.Resize;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --resize}: how image files (an image folder, {@code --image}, predict's images) of another size than the
 * model's input are fitted to it ({@link Resize}), and the one notice line per data set that says what was resized
 * or converted ({@code fovea eval: note: ...: resizing 10000 images from 64x64 to 32x32 (center-crop, antialiased)}).
 * Mixed into {@link DataOptions} and into the commands that read image files without it.
 */
public final class ResizeOption {
    @Option(names = "--resize", paramLabel = "MODE", defaultValue = "center-crop", completionCandidates = Choices.Resizes.class,
            description = {"How image files of another size are fitted to the model's input: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). "
                    + "center-crop: the shorter side to the input size, then the middle (torchvision's Resize + CenterCrop, the ImageNet "
                    + "evaluation transform); stretch: each side to the input size, distorting the aspect ratio; pad: the longer side to the "
                    + "input size, the rest black (zeros). Antialiased, as PIL and torchvision resize; images of the input size are left as "
                    + "they are."})
    Resize mode = Resize.DEFAULT;

    /** Reads {@code files} as {@code shape} {@code [C,H,W]}, fitted by {@link #mode}: {@code [N,C,H,W]} and what it took. */
    Read read(List<Path> files, Shape shape) throws IOException {
        int per = shape.size();
        float[] pixels = new float[files.size() * per];
        List<Shape> sources = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            Tensor raw = Images.read(files.get(i));
            sources.add(raw.shape());
            Tensor t = Images.fit(raw, shape.dim(0), shape.dim(1), shape.dim(2), mode);
            System.arraycopy(t.data(), 0, pixels, i * per, per);
        }
        return new Read(new Tensor(shape.withBatch(files.size()), pixels), Fitting.of(mode, shape, sources));
    }

    /** Images read from files and how they were fitted. */
    record Read(Tensor images, Fitting fitting) {
    }

    /**
     * Says on {@code command}'s stderr, in one line, what {@code fitting} of the images from {@code source} resized or
     * converted; nothing when it did neither (or there is no fitting: data that was not image files).
     */
    static void notice(CommandSpec command, String source, Fitting fitting) {
        String what = fitting == null ? null : fitting.describe();
        if (what == null || command == null) {
            return;
        }
        PrintWriter err = command.commandLine().getErr();
        err.println(command.qualifiedName() + ": note: " + source + ": " + what);
        err.flush();
    }
}
