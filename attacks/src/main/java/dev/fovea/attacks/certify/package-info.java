/**
 * Certified robustness: randomized smoothing (Cohen, Rosenfeld &amp; Kolter, ICML 2019), the smoothed classifier's
 * prediction with abstention and its certified L2 radius from Monte-Carlo sampling.
 *
 * <p>Not an attack, and so not in {@link dev.fovea.attacks.Attacks}' registry: it searches for no perturbation and
 * returns a radius within which none exists (with probability {@code 1 - alpha}), where an attack returns a
 * perturbation that exists. It lives beside the attacks because it stands on the same model interface alone and is
 * their counterpart: certified accuracy is a lower bound on the smoothed classifier's robust accuracy where an
 * attack's is an upper one, and a report shows the two side by side.
 */
package dev.fovea.attacks.certify;
