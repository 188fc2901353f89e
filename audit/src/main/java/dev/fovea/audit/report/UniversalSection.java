package dev.fovea.audit.report;

import dev.fovea.attacks.Norm;
import dev.fovea.attacks.Universal;
import dev.fovea.audit.run.UniversalRun;
import dev.fovea.data.Npy;
import dev.fovea.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The report of a {@link UniversalRun}: {@code universal.json} (the options, the fooling rate after each pass on the
 * fitted images and at the end on the held-out ones, the held-out accuracy without and with the perturbation, its
 * L2 and L-inf norms, the model calls, provenance), {@code perturbation.npy} ({@code [C,H,W]} float32) and
 * {@code perturbation.png}: held-out images, the perturbation (amplified, grey is 0) and the images with it, with
 * the predictions.
 */
public record UniversalSection(UniversalRun.Result result) implements Section {
    /** Held-out images the picture shows. */
    public static final int ROWS = 8;

    /** The whole of {@code universal.json}. */
    public record UniversalJson(String method, String norm, double eps, double foolingRateTarget, int passesMax, int deepFoolSteps, double overshoot,
                                long seed, int fitted, int heldOut, List<Double> foolingRatePerPass, double foolingRateFitted,
                                double foolingRateHeldOut, double cleanAccuracyHeldOut, double perturbedAccuracyHeldOut, double perturbationL2,
                                double perturbationLinf, long queries, String model, String modelSha256, String backend, String data,
                                String dataSha256, String foveaVersion, Provenance provenance) {
    }

    @Override
    public String name() {
        return "universal";
    }

    @Override
    public double seconds() {
        return result.seconds();
    }

    @Override
    public UniversalJson json(Provenance p) {
        Universal.Options o = result.plan().options();
        float[] v = result.universal().perturbation().data();
        return new UniversalJson("universal", o.norm().name().toLowerCase(Locale.ROOT), o.eps(), o.foolingRate(), o.passes(), o.deepFoolSteps(),
                o.overshoot(), o.seed(), result.plan().fit(), result.labels().length, result.universal().foolingRates(),
                result.universal().foolingRate(), result.heldOutFoolingRate(), result.cleanAccuracy(), result.perturbedAccuracy(),
                Norm.L2.measure(v, 0, v.length), Norm.LINF.measure(v, 0, v.length), result.universal().queries(), p.model(), p.modelSha256(),
                p.backend(), p.data(), p.dataSha256(), p.foveaVersion(), p);
    }

    @Override
    public List<String> writeFiles(Path dir) throws IOException {
        Tensor v = result.universal().perturbation();
        Npy.write(dir.resolve("perturbation.npy"), v);
        picture(dir.resolve("perturbation.png"));
        return List.of("perturbation.npy", "perturbation.png");
    }

    private void picture(Path file) throws IOException {
        Tensor v = result.universal().perturbation();
        float[] d = v.data();
        double max = Math.max(1e-12, Norm.LINF.measure(d, 0, d.length));
        float[] shown = new float[d.length];
        for (int j = 0; j < d.length; j++) {
            shown[j] = (float) (0.5 + 0.5 * d[j] / max);
        }
        Tensor amplified = new Tensor(v.shape(), shown);
        Tensor held = result.heldOut();
        Tensor perturbed = Universal.add(held, d, new float[] {0f, 1f});
        int per = d.length;
        List<String> names = result.classNames();
        List<List<Tensor>> rows = new ArrayList<>();
        List<List<String>> caps = new ArrayList<>();
        var o = result.plan().options();
        String n = Format.norm(o.norm().name().toLowerCase(Locale.ROOT));
        String size = String.format(Locale.ROOT, "%s %.3f", n, o.norm() == Norm.L2 ? Norm.L2.measure(d, 0, d.length) : max);
        int count = Math.min(ROWS, result.labels().length);
        for (int i = 0; i < count; i++) {
            Tensor a = new Tensor(v.shape(), Arrays.copyOfRange(held.data(), i * per, (i + 1) * per));
            Tensor b = new Tensor(v.shape(), Arrays.copyOfRange(perturbed.data(), i * per, (i + 1) * per));
            int cp = result.cleanPrediction()[i];
            int pp = result.perturbedPrediction()[i];
            int y = result.labels()[i];
            rows.add(List.of(a, amplified, b));
            caps.add(List.of(names.get(cp) + "\nlabel " + names.get(y) + (y == cp ? "" : " (wrong)"),
                    String.format(Locale.ROOT, "amplified x%.1f%n%s", 0.5 / max, size), names.get(pp) + "\n" + (pp == cp ? "unchanged" : "changed")));
        }
        String title = String.format(Locale.ROOT, "universal perturbation (%s, eps %s): the first %d held-out images", n, Format.eps(o.eps()), count);
        Pictures.grid(file, new Pictures.Grid(title, "one perturbation for every image, amplified: grey 0, lighter +, darker -",
                List.of("held-out image", "perturbation", "with the perturbation"), rows, caps, null, 4));
    }
}
