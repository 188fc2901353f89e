package dev.fovea.cli;

import picocli.CommandLine;

/**
 * Every {@code double} and {@code float} option of fovea is a finite number: NaN, infinities and values that
 * overflow the type ({@code 1e39} for a float) are refused when the command line is parsed, in one line naming
 * the flag ({@code fovea train: --momentum: expected a finite number, got 'NaN'}). No option takes a non-finite
 * value as a meaning of its own; an option that means "no limit" says so with a word or by being left out.
 */
final class FiniteNumbers {
    private FiniteNumbers() {
    }

    /** {@code value} as a finite double. */
    static double real(String value) {
        double v = parse(value);
        if (!Double.isFinite(v)) {
            throw new Choices.Wrong(": expected a finite number, got '" + value + "'");
        }
        return v;
    }

    /** {@code value} as a finite float (one that does not overflow to infinity as a float). */
    static float single(String value) {
        float v = (float) parse(value);
        if (!Float.isFinite(v)) {
            throw new Choices.Wrong(": expected a finite number" + (Double.isFinite(parse(value)) ? " within float range" : "") + ", got '" + value + "'");
        }
        return v;
    }

    private static double parse(String value) {
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new Choices.Wrong(": expected a number, got '" + value + "'");
        }
    }

    /** Registers the converters of {@code double}, {@code Double}, {@code float} and {@code Float} on {@code cl} and its subcommands. */
    static void registerAll(CommandLine cl) {
        cl.registerConverter(Double.class, FiniteNumbers::real);
        cl.registerConverter(Double.TYPE, FiniteNumbers::real);
        cl.registerConverter(Float.class, FiniteNumbers::single);
        cl.registerConverter(Float.TYPE, FiniteNumbers::single);
    }
}
