package dev.fovea.audit.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fovea.Version;
import dev.fovea.data.Dataset;
import dev.fovea.image.Fitting;
import dev.fovea.io.Digests;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelSetup;
import dev.fovea.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a report's numbers come from, built once per run and embedded in every output: the command and the command
 * line that ran it (when a front end gives it), fovea's version, the Java runtime and operating system, the seed,
 * the model and data with their SHA-256, the backend that ran the model and what it ran with ({@link ModelSetup}:
 * input shape, normalisation and where they and the class names came from, so that a normalisation assumed for want
 * of one shows in every report), for data read from image files how they were fitted to the model's input
 * ({@link Fitting}: the resize mode, how many were resized or converted), the samples chosen ({@code limit},
 * {@code perClass}, when a selection was asked for), every option as given (library names), when the run started
 * (ISO-8601, UTC) and the wall time of each section in seconds.
 *
 * <p>The digests ({@link Digests}): {@code modelSha256} and {@code dataSha256} as {@code sha256sum} prints them for
 * the model file and the images file (of an image folder: the SHA-256 of the {@code sha256sum} listing of its
 * images), {@code labelsSha256} of a labels file of its own, and {@code subsetSha256} of the samples the run used
 * (after the selection: their float32 pixels, then their int32 labels, little-endian), which tells two selections of
 * the same files apart.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provenance(String command, String commandLine, String foveaVersion, String javaVersion, String os, String started, long seed,
                         String model, String modelSha256, String backend, ModelSetup modelSetup, String data, String dataSha256,
                         String labelsSha256, String subsetSha256, Fitting dataFitting, Integer limit, Integer perClass,
                         Map<String, Object> options, Map<String, Double> seconds) {
    public Provenance {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options == null ? Map.of() : options));
        seconds = Collections.unmodifiableMap(new LinkedHashMap<>(seconds == null ? Map.of() : seconds));
    }

    /** Provenance of a run of {@code command} started now, without command line, model, data or options yet. */
    public static Provenance of(String command, long seed) {
        return new Provenance(command, null, Version.VERSION, System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Instant.now().toString(), seed, null, null, null, null, null, null, null, null, null, null, null, Map.of(), Map.of());
    }

    /** The command line that ran the command, as it would be typed ({@code fovea attack --model m.fovea ...}). */
    public Provenance withCommandLine(String line) {
        return new Provenance(command, line, foveaVersion, javaVersion, os, started, seed, model, modelSha256, backend, modelSetup, data,
                dataSha256, labelsSha256, subsetSha256, dataFitting, limit, perClass, options, seconds);
    }

    /** The model file (hashed here) and the backend that runs it, without its setup. */
    public Provenance withModel(Path file, String backendName) throws IOException {
        return new Provenance(command, commandLine, foveaVersion, javaVersion, os, started, seed, file.toString(), Digests.sha256(file),
                backendName, null, data, dataSha256, labelsSha256, subsetSha256, dataFitting, limit, perClass, options, seconds);
    }

    /** The model file (hashed here), opened as {@code model}: its backend and its {@link Classifier#setup()}. */
    public Provenance withModel(Path file, Classifier model) throws IOException {
        return new Provenance(command, commandLine, foveaVersion, javaVersion, os, started, seed, file.toString(), Digests.sha256(file),
                model.backend(), model.setup(), data, dataSha256, labelsSha256, subsetSha256, dataFitting, limit, perClass, options, seconds);
    }

    /**
     * The data set: its source, the SHA-256 of the files it was read from (hashed here; none for data made in
     * memory), of its samples as used, and how its image files were fitted ({@link Dataset#fitting()}).
     */
    public Provenance withData(Dataset d) throws IOException {
        String images = d.files() == null ? null : Digests.sha256(d.files());
        String labels = d.files() == null ? null : Digests.labelsSha256(d.files());
        return new Provenance(command, commandLine, foveaVersion, javaVersion, os, started, seed, model, modelSha256, backend, modelSetup,
                d.source(), images, labels, Digests.subsetSha256(d), d.fitting(), limit, perClass, options, seconds);
    }

    /** A data source and its SHA-256 (a single image file, say), without its samples' digest ({@link #withSubset}). */
    public Provenance withData(String source, String sha256) {
        return withData(source, sha256, null);
    }

    /** A data source, its SHA-256 and how its image files were fitted to the model's input (null when they were not image files). */
    public Provenance withData(String source, String sha256, Fitting fitting) {
        return new Provenance(command, commandLine, foveaVersion, javaVersion, os, started, seed, model, modelSha256, backend, modelSetup,
                source, sha256, null, null, fitting, limit, perClass, options, seconds);
    }

    /** The SHA-256 of the samples used ({@link Digests#subsetSha256(Tensor, int[])}; {@code labels} may be null). */
    public Provenance withSubset(Tensor images, int[] labels) {
        return new Provenance(command, commandLine, foveaVersion, javaVersion, os, started, seed, model, modelSha256, backend, modelSetup,
                data, dataSha256, labelsSha256, Digests.subsetSha256(images, labels), dataFitting, limit, perClass, options, seconds);
    }

    /** The selection asked for: the first {@code limit} samples, the first {@code perClass} of each class (either may be null). */
    public Provenance withSelection(Integer limit, Integer perClass) {
        return new Provenance(command, commandLine, foveaVersion, javaVersion, os, started, seed, model, modelSha256, backend, modelSetup,
                data, dataSha256, labelsSha256, subsetSha256, dataFitting, limit, perClass, options, seconds);
    }

    /** Every option of the run, by library name, in the order given. */
    public Provenance withOptions(Map<String, ?> opts) {
        Map<String, Object> o = new LinkedHashMap<>(options);
        o.putAll(opts);
        return new Provenance(command, commandLine, foveaVersion, javaVersion, os, started, seed, model, modelSha256, backend, modelSetup,
                data, dataSha256, labelsSha256, subsetSha256, dataFitting, limit, perClass, o, seconds);
    }

    /** The wall time of section {@code name}. */
    public Provenance withSeconds(String name, double s) {
        Map<String, Double> t = new LinkedHashMap<>(seconds);
        t.put(name, s);
        return new Provenance(command, commandLine, foveaVersion, javaVersion, os, started, seed, model, modelSha256, backend, modelSetup,
                data, dataSha256, labelsSha256, subsetSha256, dataFitting, limit, perClass, options, t);
    }
}
