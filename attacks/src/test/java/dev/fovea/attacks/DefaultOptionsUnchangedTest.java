package dev.fovea.attacks;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every built-in attack gives, for a fixed seed, the same results as before its method-specific knobs became
 * options: the SHA-256 of its adversarial images, queries, minimal norms and components below was taken from the
 * code in which those knobs were constructor constants. {@code autoattack-fast} is the three-part ensemble that was
 * {@code autoattack} then, with its digest; attacks added later have digests taken when they were added.
 */
class DefaultOptionsUnchangedTest {
    static Fixtures.Slice data;

    /** The digests of {@link #digest} for each case, written by the code before. */
    static final Map<String, String> BEFORE = table(
            "fgsm", "5437d2b11e503ede633797db20e5e2fc356da27ff321ac785755bfb384a799e3",
            "fgm", "5c18ab2ee8d968f9d965a4b795c5327968b1ae4a6728538f328f2540dd87ac0c",
            "bim", "1d90f5ecc8e88e02ff78248428226d80d4956e6e824bbafad3f5ae1f76c8c3e9",
            "pgd", "5850b312bc0fbd08e242048bee637c8139d162f20261b220054f12f6d64af45f",
            "pgd l2", "7e46f4d880419dd9530c655e55d794b85199778af92712ffc9735f768f7acec6",
            "mifgsm", "2eafb89afbcd2016e19704a649d54919f0ac10438d1955d34e1bce725ca923b6",
            "mifgsm l2", "18365181731c93a60df1d72d7f4537f29ca94d19f6ce00e9e32c251d7ed6f0cf",
            "apgd-ce", "7b90a5d05b4da17e7eb4248eec6333103412108cf0e8ff189d83b7d5708d6941",
            "apgd-dlr", "e541d92b8cf0b9e9600478fce77462d8e455875b1199158f1748047c5a1324ea",
            "apgd-t", "643fc8c872177ff4162a85b847b484399ad1bdcc263c92ac272b3b87fd85b2af",
            "square", "817c50e56234326ca8fa2f2a26f697aa3592ae5b4f58fd44d2690f193f5440b0",
            "square l2", "7a9f8ec829747dde1b52d97f3d04f48a19291b70bcaf572417a88b1dfb372f38",
            "autoattack-fast", "1fe066deda0bc3a51388d0b8e7ac12fd10e9f9f7070bc182e0556e647ccbbeaa",
            "deepfool", "14e5696b7a1adcd460766b3a72682a587f6cdf697d011b53dc4b0e045d8cd709",
            "deepfool linf", "34a062932395f415b289eb43a986f00cba7069ff2f8a2b9c2b8848613d218150",
            "cw aborting", "9e91ed153fe7d020d567449080082f11cfece968896b6673e814c91dee94cff5",
            "cw targeted aborting", "c28b53028f58fe50005574a2429d8000857fdb5eeb0f9ad595749f124b1e0f09",
            "jsma", "c4044bd7163df2d6e69963a00d58b14f88f677d62f3e42e1b45e88ad945ae342",
            // Attacks added since (and autoattack, now the standard ensemble): digests taken when they were added.
            "autoattack", "4ed3e80eb1ab38e72cd28661a2933a1d9f5547d94c434da22c627ea0f40abc40",
            "eot-pgd", "a378f25d1946b7421cf7c1e613d09cee302ba039fd9100d55dbef7e9991be613",
            "boundary", "c61eaae1cd658acf0390aae0dcf2b0354dc2f8e442d850e5cb86c6a9d139e724",
            "hsj", "f514dd7e96cc812216b210b878feefb03d44d371de6d5369bfc2456e615d5745",
            "hsj linf", "d4dc96ef5c913be699e80ae32540b493d519a63243295e5b3fdf0616a6cb2f07",
            "fab", "8461891e92fce783df65a7cccf78bf273dc771fbf6c77f2bb27b45e8c6ef0d52",
            "fab l2", "8a9eba3e7e66f7996b9e69c4a4fb4d46a74490be1b2d195db003334c5a717f59",
            "fab-t", "18c7f3601fb430accb47af1ee7df5c1f58d608726176b8f8aef8a166c1c2d9c4",
            // cw's default since it stopped aborting early (the aborting cases above keep the earlier default's digests)
            "cw", "f008a13b77f8a67bea0d4942e5bacbde350aabf687bf8056e03f5394dd66224f",
            "cw targeted", "ca29ed105bc9347899b56f19a40719ad4c7bfea088f79b71b4eae44c1bfbef9f");

    @BeforeAll
    static void load() throws IOException {
        data = Fixtures.slice(8);
    }

    /** The configuration of each case: an attack's defaults, with fewer steps where they cost, seed 3. */
    static Map<String, AttackConfig> cases() {
        Map<String, AttackConfig> c = new LinkedHashMap<>();
        c.put("fgsm", at("fgsm", Norm.LINF, 0.1));
        c.put("fgm", at("fgm", Norm.L2, 1.0));
        c.put("bim", at("bim", Norm.LINF, 0.1));
        c.put("pgd", at("pgd", Norm.LINF, 0.05));
        c.put("pgd l2", at("pgd", Norm.L2, 0.5).withRestarts(2));
        c.put("mifgsm", at("mifgsm", Norm.LINF, 0.05));
        c.put("mifgsm l2", at("mifgsm", Norm.L2, 0.5));
        c.put("apgd-ce", at("apgd-ce", Norm.LINF, 0.03).withSteps(20));
        c.put("apgd-dlr", at("apgd-dlr", Norm.L2, 0.3).withSteps(20));
        c.put("apgd-t", at("apgd-t", Norm.LINF, 0.03).withSteps(10));
        c.put("square", at("square", Norm.LINF, 0.05).withSteps(300));
        c.put("square l2", at("square", Norm.L2, 1.0).withSteps(300));
        c.put("autoattack-fast", at("autoattack-fast", Norm.LINF, 0.03).withSteps(5));
        c.put("deepfool", at("deepfool", Norm.L2, 10));
        c.put("deepfool linf", at("deepfool", Norm.LINF, 1).withTarget(new Target.RandomClass()));
        CarliniWagner.Options aborting = new CarliniWagner.Options(9, 0.1, 0, true);
        c.put("cw aborting", at("cw", Norm.L2, 10).withSteps(30).withOptions(aborting));
        c.put("cw targeted aborting", at("cw", Norm.L2, 10).withSteps(20).withTarget(new Target.LeastLikely()).withOptions(aborting));
        c.put("jsma", at("jsma", Norm.L0, 0.05));
        c.put("autoattack", at("autoattack", Norm.L2, 0.3).withSteps(1));
        c.put("cw", at("cw", Norm.L2, 10).withSteps(30));
        c.put("cw targeted", at("cw", Norm.L2, 10).withSteps(20).withTarget(new Target.LeastLikely()));
        c.put("eot-pgd", at("eot-pgd", Norm.LINF, 0.05).withSteps(5));
        c.put("boundary", at("boundary", Norm.L2, 10).withSteps(300));
        c.put("hsj", at("hsj", Norm.L2, 10).withSteps(300));
        c.put("hsj linf", at("hsj", Norm.LINF, 1).withSteps(300));
        c.put("fab", at("fab", Norm.LINF, 0.1).withSteps(10));
        c.put("fab l2", at("fab", Norm.L2, 1).withSteps(10).withRestarts(2));
        c.put("fab-t", at("fab-t", Norm.LINF, 0.1).withSteps(5));
        return c;
    }

    static AttackConfig at(String attack, Norm norm, double eps) {
        return Attacks.named(attack).defaults(norm, eps).withSeed(3);
    }

    static String attackOf(String name) {
        return name.split(" ")[0];
    }

    /** SHA-256 over the adversarial images' bits, the queries, the minimal norms' bits and the components that fooled. */
    static String digest(AttackResult r) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(r.adversarial().size() * 4 + r.size() * 16);
            for (float v : r.adversarial().data()) {
                b.putInt(Float.floatToRawIntBits(v));
            }
            for (int i = 0; i < r.size(); i++) {
                b.putLong(r.queries()[i]);
                b.putLong(Double.doubleToLongBits(r.minimalNorm()[i]));
            }
            md.update(b.array());
            for (String s : r.fooledBy()) {
                md.update(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static Map<String, String> table(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    static List<String> names() {
        return List.copyOf(cases().keySet());
    }

    @Test
    void everyBuiltInAttackHasACase() {
        assertEquals(BEFORE.keySet(), cases().keySet());
        for (String name : Attacks.names()) {
            assertTrue(BEFORE.containsKey(name), name + " has no case");
        }
        assertEquals(BEFORE.size() - 2, atDefaults().size(), "all but the two aborting cases run at the defaults");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void defaultsGiveTheResultsOfBefore(String name) {
        assertEquals(BEFORE.get(name), digest(data.run(Attacks.named(attackOf(name)), cases().get(name))), name);
    }

    /** The cases at the attack's own defaults: all but those that give cw the early abort. */
    static List<String> atDefaults() {
        return names().stream().filter(n -> !n.endsWith(" aborting")).toList();
    }

    /** The defaults, however given: none ({@link AttackOptions#NONE}), from no named values, from the described defaults' text. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("atDefaults")
    void defaultsGivenAnyWayGiveTheResultsOfBefore(String name) {
        Attack a = Attacks.named(attackOf(name));
        AttackConfig cfg = cases().get(name);
        Map<String, String> described = new LinkedHashMap<>();
        a.optionInfo().forEach(o -> described.put(o.name(), o.defaultValue()));
        for (AttackOptions o : List.of(AttackOptions.NONE, a.options(Map.of()), a.options(described))) {
            assertEquals(BEFORE.get(name), digest(data.run(a, cfg.withOptions(o))), name + " with " + o);
        }
    }
}
