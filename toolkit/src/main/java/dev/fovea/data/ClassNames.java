package dev.fovea.data;

import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Matches the class folders of an image folder to a model's class names by name, so that a folder's labels are the
 * model's class indices whatever order the folders sort in. A folder names the class whose name it equals, else
 * the one class whose name it equals after {@link #normalize}: Unicode NFKC (so a decomposed {@code é} from a
 * macOS file system is the composed one), lower case, and spaces, {@code _}, {@code -} and {@code /} dropped
 * (a folder cannot hold a {@code /}): {@code T-shirt_top}, {@code t-shirt top} and {@code TShirtTop} all name
 * Fashion-MNIST's {@code T-shirt/top}, {@code ankle_boot} names {@code Ankle boot}. Folders may name a subset of
 * the classes; a folder that names no class, or more than one, and two folders that name the same class are
 * errors that say so.
 */
public final class ClassNames {
    private ClassNames() {
    }

    /** A name as compared: NFKC, lower case (root locale), without white space, {@code _}, {@code -} and {@code /}. */
    public static String normalize(String name) {
        String s = Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().filter(cp -> !Character.isWhitespace(cp) && cp != '_' && cp != '-' && cp != '/').forEach(b::appendCodePoint);
        return b.toString();
    }

    /**
     * The index in {@code classes} of each folder name in {@code folders}.
     *
     * @throws DataFormatException a folder names none of the classes or several, or two folders name one class
     *                             (the message names {@code dir}, the folders and the classes)
     */
    public static int[] match(Path dir, List<String> folders, List<String> classes) throws DataFormatException {
        Map<String, List<Integer>> byKey = new HashMap<>();
        for (int k = 0; k < classes.size(); k++) {
            byKey.computeIfAbsent(normalize(classes.get(k)), x -> new ArrayList<>()).add(k);
        }
        int[] out = new int[folders.size()];
        Map<Integer, String> taken = new HashMap<>();
        for (int i = 0; i < folders.size(); i++) {
            String f = folders.get(i);
            int k = classes.indexOf(f);
            if (k < 0) {
                List<Integer> hits = byKey.getOrDefault(normalize(f), List.of());
                if (hits.isEmpty()) {
                    throw new DataFormatException(dir + ": class folder '" + f + "' matches none of the model's " + classes.size()
                            + " classes (" + String.join(", ", classes) + "); names are compared ignoring case, spaces, '_', '-' and '/'");
                }
                if (hits.size() > 1) {
                    throw new DataFormatException(dir + ": class folder '" + f + "' matches several of the model's classes ("
                            + String.join(", ", hits.stream().map(classes::get).toList()) + "); name the folder exactly as one of them");
                }
                k = hits.get(0);
            }
            String before = taken.put(k, f);
            if (before != null) {
                throw new DataFormatException(dir + ": class folders '" + before + "' and '" + f + "' both name the model's class '"
                        + classes.get(k) + "'");
            }
            out[i] = k;
        }
        return out;
    }
}
