package dev.fovea.attacks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of attacks by name. */
public final class Attacks {
    private static final Map<String, Attack> ALL = new LinkedHashMap<>();

    static {
        add(new Pgd("fgsm", "FGSM, Goodfellow et al. 2015: one signed-gradient step of size eps. L-inf, white box, targeted.",
                Norm.LINF, 1, 1.0, false, 0));
        add(new Pgd("fgm", "FGM: one normalised-gradient step of L2 size eps (FGSM's L2 form). L2, white box, targeted.",
                Norm.L2, 1, 1.0, false, 0));
        add(new Pgd("bim", "BIM / I-FGSM, Kurakin et al. 2017: 10 steps of eps/4 from the clean image. L-inf or L2, white box, targeted.",
                Norm.LINF, 10, 0.25, false, 0));
        add(new Pgd("pgd", "PGD, Madry et al. 2018: random start, 20 steps of 2.5*eps/20, restarts keep the worst case. L-inf or L2, white box, targeted.",
                Norm.LINF, 20, 2.5 / 20, true, 0));
        add(new Pgd("mifgsm", "MI-FGSM, Dong et al. 2018: 10 steps of eps/10 with momentum 1.0 on L1-normalised gradients. L-inf or L2, white box, targeted.",
                Norm.LINF, 10, 0.1, false, 1.0));
        add(new DeepFool());
        add(new CarliniWagner());
        add(new Jsma());
    }

    private Attacks() {
    }

    private static void add(Attack a) {
        ALL.put(a.name(), a);
    }

    public static List<Attack> all() {
        return List.copyOf(ALL.values());
    }

    public static Attack named(String name) {
        Attack a = ALL.get(name.toLowerCase(java.util.Locale.ROOT));
        if (a == null) {
            throw new IllegalArgumentException("unknown attack '" + name + "' (known: " + String.join(", ", ALL.keySet()) + ")");
        }
        return a;
    }
}
