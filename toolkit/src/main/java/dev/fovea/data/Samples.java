package dev.fovea.data;

import dev.fovea.tensor.Tensor;

import java.nio.file.Path;
import java.util.List;

/** Joins images and labels read from separate files into a {@link Dataset}, naming the files in any mismatch. */
final class Samples {
    private Samples() {
    }

    static Dataset join(Path imagesPath, Tensor images, Path labelsPath, int[] labels, List<String> classNames, String source)
            throws DataFormatException {
        if (labels.length != images.dim(0)) {
            throw new DataFormatException(labelsPath + ": expected " + images.dim(0) + " labels (one per image in "
                    + imagesPath.getFileName() + "), got " + labels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new DataFormatException(labelsPath + ": label " + labels[i] + " of sample " + i
                        + " is outside the " + classNames.size() + " classes " + classNames);
            }
        }
        return new Dataset(images, labels, classNames, source, DataFiles.of(imagesPath, labelsPath));
    }
}
