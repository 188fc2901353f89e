package dev.fovea.attacks;

/**
 * The options that belong to one attack, beyond the budget and the knobs its {@link AttackConfig} shares with the
 * other attacks: an immutable record validated in its constructor with the library's option names
 * ({@link CarliniWagner.Options}, {@link DeepFool.Options}, {@link Square.Options}, {@link Apgd.Options},
 * {@link Pgd.Options} of MI-FGSM, {@link #NONE}). An attack describes its record ({@link Attack#optionInfo()}),
 * gives its defaults ({@link Attack#defaultOptions()}) and builds it from named values ({@link Attack#options}).
 * Jackson serialises each record to its components, in snake case under the reports' mapper
 * ({@code {"search_steps":9,"initial_const":0.1,"kappa":0.0,"abort_early":false}}).
 */
public interface AttackOptions {
    /**
     * The options of an attack that has none of its own (FGSM, PGD, JSMA), and in an {@link AttackConfig} the
     * attack's defaults, whatever they are; serialised as {@code {}}.
     */
    AttackOptions NONE = new None();

    /** The empty options value. */
    record None() implements AttackOptions {
    }
}
