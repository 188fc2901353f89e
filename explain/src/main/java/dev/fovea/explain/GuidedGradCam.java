package dev.fovea.explain;

import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

/**
 * Guided Grad-CAM of Selvaraju et al., "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based
 * Localization" (ICCV 2017): the guided back-propagation map ({@link GuidedBackprop}) times the Grad-CAM map
 * ({@link GradCam}) at {@code layer}, upsampled to the input's size, {@code A[c,h,w] = GB[c,h,w] * CAM[h,w]}: pixel
 * detail only where the class evidence lies. The CAM is upsampled bilinearly, as the paper does; Captum's
 * {@code GuidedGradCam} upsamples with nearest neighbours by default. Option {@code layer} (default the last
 * convolutional). Needs the own engine (guided back-propagation's rule). Signed. Input and maps {@code [N,C,H,W]}.
 */
final class GuidedGradCam extends Attribution {
    private final GradCam cam = new GradCam();

    @Override
    public String name() {
        return "guided-grad-cam";
    }

    @Override
    public String describe() {
        return "Guided Grad-CAM, Selvaraju et al. 2017: guided backprop times the upsampled Grad-CAM at --layer. Engine models only. "
                + "Signed, [N,C,H,W].";
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    public Kind kind() {
        return Kind.INPUT;
    }

    @Override
    public CamBase.Options defaultOptions() {
        return cam.defaultOptions();
    }

    @Override
    public java.util.List<dev.fovea.method.OptionInfo> optionInfo() {
        return cam.optionInfo();
    }

    @Override
    protected AttributionOptions parse(dev.fovea.method.OptionValues v) {
        return cam.parse(v);
    }

    @Override
    protected AttributionOptions validate(Classifier model, Tensor x, AttributionOptions options) {
        CamBase.Options o = cam.validate(model, x, options);
        RulePasses.of(model, name());
        return o;
    }

    @Override
    protected AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
        AttributionResult gb = GuidedBackprop.run(model, name(), x, targets, cfg);
        AttributionResult c = cam.compute(model, x, targets, cfg);
        int n = x.dim(0);
        int ch = x.dim(1);
        int hw = x.dim(2) * x.dim(3);
        Tensor out = gb.maps();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < ch; k++) {
                for (int p = 0; p < hw; p++) {
                    out.data()[(i * ch + k) * hw + p] *= c.maps().data()[i * hw + p];
                }
            }
        }
        return new AttributionResult(out, gb.scores(), null, c.layer());
    }

    @Override
    public String unavailableFor(Classifier model) {
        return RulePasses.unavailable(model);
    }
}
