package dev.fovea.attacks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of attacks by name, in registration order: the built-in attacks, then any added with
 * {@link #register}. Each attack describes itself ({@link Attack#describe()}) and its options
 * ({@link Attack#options()}), so front ends list and configure attacks from here rather than by name.
 */
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
        add(new EotPgd());
        Attack apgdCe = new Apgd("apgd-ce", "APGD-CE, Croce & Hein 2020: 100 momentum steps on the cross-entropy, step from 2*eps halved at checkpoints. L-inf or L2, white box, targeted.",
                Apgd.Loss.CROSS_ENTROPY, 9);
        Attack apgdT = new Apgd("apgd-t", "APGD-T, Croce & Hein 2020: APGD on the targeted DLR loss, in turn towards the 9 likeliest wrong classes. L-inf or L2, white box, targeted.",
                Apgd.Loss.TARGETED_DLR, 9);
        Attack square = new Square();
        add(apgdCe);
        add(new Apgd("apgd-dlr", "APGD-DLR, Croce & Hein 2020: APGD on the difference of logits ratio, invariant to logit scale. L-inf or L2, white box, targeted.",
                Apgd.Loss.DLR, 9));
        add(apgdT);
        add(square);
        Attack fabT = new Fab("fab-t", true);
        add(new AutoAttack("autoattack", "AutoAttack's standard ensemble, Croce & Hein 2020: APGD-CE, APGD-T (DLR), FAB-T, Square, each on the samples "
                + "still correct. L-inf or L2, white box, targeted.", List.of(apgdCe, apgdT, fabT, square)));
        add(new AutoAttack("autoattack-fast", "AutoAttack without FAB-T: APGD-CE, APGD-T (DLR), Square, each on the samples still correct. "
                + "L-inf or L2, white box, targeted.", List.of(apgdCe, apgdT, square)));
        add(new DeepFool());
        add(new CarliniWagner());
        add(new Jsma());
        add(new Fab("fab", false));
        add(fabT);
        add(new Boundary());
        add(new HopSkipJump());
    }

    private Attacks() {
    }

    private static void add(Attack a) {
        ALL.put(a.name(), a);
    }

    /**
     * Adds {@code attack} under its {@link Attack#name()}, which must be new and in lower case (names are looked up
     * in lower case).
     */
    public static synchronized void register(Attack attack) {
        if (attack == null || attack.name() == null || attack.name().isBlank()) {
            throw new IllegalArgumentException("attacks: expected an attack with a name, got " + (attack == null ? "null" : "no name"));
        }
        String name = attack.name();
        if (!name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("attacks: expected a lower-case name, got '" + name + "'");
        }
        if (ALL.containsKey(name)) {
            throw new IllegalArgumentException("attacks: the name '" + name + "' is taken by " + ALL.get(name).getClass().getSimpleName());
        }
        ALL.put(name, attack);
    }

    /** Removes the attack registered as {@code name} (any case), if any, and returns it ({@code null} when none was). */
    public static synchronized Attack unregister(String name) {
        return ALL.remove(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** Every registered attack, in registration order. */
    public static synchronized List<Attack> all() {
        return List.copyOf(ALL.values());
    }

    /** The names of {@link #all()}, in the same order. */
    public static synchronized List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    /** The attack registered as {@code name} (any case). */
    public static synchronized Attack named(String name) {
        Attack a = ALL.get(name.toLowerCase(java.util.Locale.ROOT));
        if (a == null) {
            throw new IllegalArgumentException("unknown attack '" + name + "' (known: " + String.join(", ", ALL.keySet()) + ")");
        }
        return a;
    }
}
