package dev.fovea.audit.batch;

import dev.fovea.audit.ProgressListener;
import dev.fovea.audit.report.Provenance;
import dev.fovea.audit.report.Report;
import dev.fovea.data.Dataset;
import dev.fovea.model.Classifier;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One kind of batch cell ({@code attack}, {@code explain}, {@code augment}, {@code eval}): the fields a spec's run
 * entry may give it, how given values become a fully resolved plan against a model ({@link #resolve}: defaults that
 * follow the model written out, every value checked by the run it becomes), and how a resolved plan runs
 * ({@link #plan}). The resolved plan is plain data (text, numbers, booleans, lists and maps), so that it can be
 * hashed into the cell's id, written to {@code cell.json}, and shipped to a Spark executor, where {@link #plan}
 * rebuilds the same run. A new kind of cell is one class and one line in {@link CellTypes}.
 */
public interface CellType {
    /** The name a run entry's {@code type} gives. */
    String name();

    /** One line for listings. */
    String describe();

    /** The type's own fields (the grid adds {@code type} and {@code limit}). */
    List<Field> fields();

    /**
     * The fully resolved plan of {@code given} (field name to plain value, absent fields left out) for
     * {@code model}: every default written out, checked as the run checks it. A bad value is an
     * {@link dev.fovea.method.InvalidOptionException} naming the field or the method's option.
     */
    Map<String, Object> resolve(Map<String, Object> given, Classifier model);

    /** The run of a plan {@link #resolve} made (or read back from {@code cell.json}). */
    Plan plan(Map<String, Object> resolved);

    /** A field of a run entry: its snake-case name, whether one value is a list ({@code eps}) or a map ({@code options}). */
    record Field(String name, Kind kind, String description) {
        public static Field scalar(String name, String description) {
            return new Field(name, Kind.SCALAR, description);
        }

        public static Field list(String name, String description) {
            return new Field(name, Kind.LIST, description);
        }

        public static Field map(String name, String description) {
            return new Field(name, Kind.MAP, description);
        }
    }

    /**
     * The shape of one value of a field. A list given for a scalar field, a list of lists for a list field, and a
     * list of maps for a map field are axes of the grid: one cell per item.
     */
    enum Kind {
        SCALAR, LIST, MAP
    }

    /** A runnable cell plan. */
    interface Plan {
        /** About how many single-image forward or backward passes the plan takes on {@code n} images, for {@code --dry-run}. */
        long passes(int n);

        /**
         * Runs the plan on {@code data} with {@code model}; {@code provenance} holds the model and the data. The
         * report is the cell's own, written into its result folder with {@code cell.json}.
         */
        Outcome run(Classifier model, Dataset data, Provenance provenance, ProgressListener progress) throws IOException;
    }

    /**
     * What a cell produced: its report, its numbers as tidy metrics, and the file of its report that the combined
     * page links to ({@code robustness.png}, {@code index.html}).
     */
    record Outcome(Report report, List<Metric> metrics, String page) {
        public Outcome {
            metrics = List.copyOf(metrics);
        }
    }
}
