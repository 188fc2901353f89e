package dev.fovea.audit;

import dev.fovea.attacks.Norm;
import dev.fovea.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Default budgets follow the input's size: Fashion-MNIST's list for grayscale, CIFAR-10's and ImageNet's for colour;
 * budgets read as numbers or fractions, and a list keeps each budget once.
 */
class BudgetsTest {
    static final List<Double> GRAYSCALE = List.of(0.0, 0.02, 0.05, 0.1, 0.2);

    @Test
    void grayscaleInputKeepsTheListOfBefore() {
        for (Norm n : Norm.values()) {
            assertEquals(GRAYSCALE, Budgets.defaults(n, Shape.of(1, 28, 28)).eps(), n.name());
        }
        assertEquals("0, 0.02, 0.05, 0.1, 0.2", Budgets.defaults(Norm.LINF, Shape.of(1, 28, 28)).text());
        assertEquals(GRAYSCALE, Budgets.defaults(Norm.L0, Shape.of(3, 32, 32)).eps(), "l0 budgets are fractions of the pixels, any input");
    }

    @Test
    void cifarSizedColourInputGetsCifarBudgets() {
        Budgets linf = Budgets.defaults(Norm.LINF, Shape.of(3, 32, 32));
        assertEquals(List.of(0.0, 1 / 255.0, 2 / 255.0, 4 / 255.0, 8 / 255.0), linf.eps());
        assertEquals("0, 1/255, 2/255, 4/255, 8/255", linf.text());
        assertTrue(linf.convention().contains("CIFAR-10") && linf.convention().contains("RobustBench"), linf.convention());
        Budgets l2 = Budgets.defaults(Norm.L2, Shape.of(3, 32, 32));
        assertEquals(List.of(0.0, 0.25, 0.5, 1.0), l2.eps());
        assertEquals("0, 0.25, 0.5, 1.0", l2.text());
        assertEquals(linf.eps(), Budgets.defaults(Norm.LINF, Shape.of(3, 64, 96)).eps(), "small colour photos count as CIFAR-sized");
    }

    @Test
    void imageNetSizedColourInputGetsImageNetBudgets() {
        assertEquals(List.of(0.0, 1 / 255.0, 2 / 255.0, 4 / 255.0), Budgets.defaults(Norm.LINF, Shape.of(3, 224, 224)).eps());
        assertEquals(List.of(0.0, 0.5, 1.0, 2.0), Budgets.defaults(Norm.L2, Shape.of(3, 224, 224)).eps());
        assertTrue(Budgets.defaults(Norm.LINF, Shape.of(3, 224, 224)).convention().contains("ImageNet"));
        assertEquals(4, Budgets.defaults(Norm.LINF, Shape.of(3, Budgets.IMAGENET_SIDE, 300)).eps().size(), "from the threshold on");
        assertEquals(5, Budgets.defaults(Norm.LINF, Shape.of(3, Budgets.IMAGENET_SIDE - 1, 300)).eps().size(), "the shorter side decides");
    }

    @Test
    void budgetsAreNumbersOrFractions() {
        assertEquals(8 / 255.0, Budgets.parse("8/255"));
        assertEquals(0.5 / 255, Budgets.parse(" 0.5 / 255 "));
        assertEquals(0.03, Budgets.parse("0.03"));
        assertEquals(1e-2, Budgets.parse("1e-2"));
        assertEquals(0.0, Budgets.parse("0"));
        for (String bad : new String[] {"1/0", "0/0", "eps", "8//255", "1/2/3", "NaN", "Infinity", "1e400", "0x10", "2d", "", "/255", "8/"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Budgets.parse(bad), bad);
            assertEquals("expected a number or a fraction such as 8/255, got '" + bad + "'", e.getMessage());
        }
    }

    @Test
    void aRepeatedBudgetIsKeptOnceInTheOrderFirstGiven() {
        Budgets.Once once = Budgets.once(List.of(0.1, Budgets.parse("8/255"), 0.0, 0.03137254901960784, 0.1, 0.1, -0.0));
        assertEquals(List.of(0.1, 8 / 255.0, 0.0), once.kept(), "8/255 and its decimal are one budget; so are 0 and -0");
        assertEquals(List.of(8 / 255.0, 0.1, 0.0), once.repeated(), "as first given");
        assertEquals("0.0314, 0.1, 0.0 are given more than once; each runs once", once.note());
        assertEquals("0.1 is given more than once; it runs once", Budgets.once(List.of(0.1, 0.1)).note());
        Budgets.Once none = Budgets.once(List.of(0.0314, 8 / 255.0));
        assertEquals(List.of(0.0314, 8 / 255.0), none.kept(), "0.0314 is another budget than 8/255");
        assertEquals(List.of(), none.repeated());
        assertNull(none.note());
    }
}
