package dev.fovea.cli;

import dev.fovea.model.Classifier;
import dev.fovea.model.ModelFile;
import dev.fovea.model.ModelLoader;
import dev.fovea.model.Network;
import dev.fovea.model.ModelSetup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The model a command takes: {@code --model}/{@code -m FILE} and how to run it ({@link ModelFlags}). Every command
 * that takes a model mixes in one of the two kinds, which differ only in whether picocli requires {@code --model}:
 * {@link Required}, or {@link Optional} for commands that can do without one ({@code attack --list},
 * {@code explain --list}, bench's default model), which check it themselves with their own message.
 */
public abstract sealed class ModelOptions permits ModelOptions.Required, ModelOptions.Optional {
    static final String DESCRIPTION = "Model: a .fovea file, or TorchScript (.pt, .ts, .zip) with a sidecar FILE.json or the flags below.";

    /** The model file, or {@code null} when an {@link Optional} one is not given. */
    abstract Path file();

    /** How to run it. (Each kind mixes the flags in after {@code --model}, so that {@code --help} lists them after it.) */
    abstract ModelFlags flags();

    /** The loader's options for the flags; {@code batchSize} bounds the samples per forward pass. */
    ModelLoader.Options options(int batchSize) throws IOException {
        return flags().options(batchSize);
    }

    /** The command this is mixed into, for its stderr. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * Opens the model; {@code batchSize} bounds the samples per forward pass. What was assumed for want of metadata
     * (a TorchScript model's normalisation, its class names) is said in one warning line each on stderr.
     */
    Classifier open(int batchSize) throws IOException {
        Classifier c = flags().open(file(), batchSize);
        warn(command.qualifiedName(), file(), c.setup(), command.commandLine().getErr());
        return c;
    }

    /** The warnings on {@code setup}, one line each, prefixed with {@code command}: what was assumed and why. */
    static void warn(String command, Path file, ModelSetup setup, PrintWriter err) {
        if (setup == null) {
            return;
        }
        String name = file.getFileName().toString();
        boolean mean = setup.meanFrom() == ModelSetup.Source.DEFAULT;
        boolean std = setup.stdFrom() == ModelSetup.Source.DEFAULT;
        if (mean && std) {
            err.println(command + ": warning: " + name + ": no normalisation given (no --mean/--std, none in a sidecar): assuming mean 0,"
                    + " std 1, so pixels in [0,1] enter the model as they are");
        } else if (mean || std) {
            err.println(command + ": warning: " + name + ": no " + (mean ? "mean" : "std") + " given (no --" + (mean ? "mean" : "std")
                    + ", none in a sidecar): assuming " + setup.normalisation());
        }
        if (setup.classNamesFrom() == ModelSetup.Source.DEFAULT) {
            err.println(command + ": warning: " + name + ": no class names given (no --classes, none in a sidecar): its " + setup.classes()
                    + " classes are called 0.." + (setup.classes() - 1));
        }
        err.flush();
    }

    /**
     * The network of a {@code .fovea} model, for commands that need its weights; a TorchScript file is an
     * {@link IOException} {@code "FILE: " + notFovea}, and TorchScript metadata flags are refused (the file carries
     * its own).
     */
    Network network(String notFovea) throws IOException {
        return network(file(), notFovea);
    }

    /** As {@link #network(String)} for {@code f}, a command's default model when an {@link Optional} one is not given. */
    Network network(Path f, String notFovea) throws IOException {
        if (!ModelFile.isFovea(f)) {
            throw new IOException(f + ": " + notFovea);
        }
        flags().requireNoMetadata(f);
        return ModelFile.load(f);
    }

    /** {@code --model} that picocli requires. */
    public static final class Required extends ModelOptions {
        @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = DESCRIPTION)
        Path model;

        @Mixin
        ModelFlags flags;

        @Override
        Path file() {
            return model;
        }

        @Override
        ModelFlags flags() {
            return flags;
        }
    }

    /** {@code --model} that the command checks itself: it may run without one. */
    public static final class Optional extends ModelOptions {
        @Option(names = {"-m", "--model"}, paramLabel = "FILE", description = DESCRIPTION)
        Path model;

        @Mixin
        ModelFlags flags;

        @Override
        Path file() {
            return model;
        }

        @Override
        ModelFlags flags() {
            return flags;
        }

        boolean given() {
            return model != null;
        }
    }
}
