package dev.fovea.cli;

import dev.fovea.audit.Budgets;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;

/**
 * Budgets on the command line as torchattacks and AutoAttack users type them: numbers or fractions
 * ({@link Converter}: {@code --eps 8/255}, {@code --step-size 2/255}; {@link Budgets#parse}), and a list that
 * repeats a budget runs it once ({@link #once}), with a note on stderr that says which repeat was dropped, since a
 * repeat in a list of budgets is a slip, not a request to attack twice.
 */
final class BudgetLists {
    private BudgetLists() {
    }

    /** A budget: a number ({@code 0.03}) or a fraction ({@code 8/255}); a wrong one is one line naming the flag. */
    static final class Converter implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                return Budgets.parse(value);
            } catch (IllegalArgumentException e) {
                if (nonFinite(value)) {
                    throw new Choices.Wrong(": expected a finite number, got '" + value + "'"); // as every number option says
                }
                throw new Choices.Wrong(": " + e.getMessage());
            }
        }

        /** Whether {@code value} is NaN, an infinity or a number that overflows a double. */
        private static boolean nonFinite(String value) {
            try {
                return !Double.isFinite(Double.parseDouble(value.strip()));
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }

    /**
     * {@code given} (the values of {@code flag}) with each budget once, in the order first given; when one was
     * repeated, one line on {@code spec}'s stderr: {@code fovea attack: note: --eps 0.1 is given more than once; it
     * runs once}. Budgets are the same when they are equal after parsing ({@code 8/255} and
     * {@code 0.03137254901960784}).
     */
    static List<Double> once(CommandSpec spec, String flag, List<Double> given) {
        Budgets.Once o = Budgets.once(given);
        if (o.note() != null) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(spec.qualifiedName() + ": note: " + flag + " " + o.note());
            err.flush();
        }
        return o.kept();
    }
}
