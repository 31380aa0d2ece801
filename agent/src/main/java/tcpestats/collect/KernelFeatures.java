package tcpestats.collect;

import tcpestats.bpf.BpfException;
import tcpestats.bpf.KernelBtf;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The {@link KernelFeature}s the running kernel has. */
public record KernelFeatures(Set<KernelFeature> present) {
    public KernelFeatures {
        present = present.isEmpty() ? EnumSet.noneOf(KernelFeature.class) : EnumSet.copyOf(present);
    }

    /** Every feature: what the registry describes when no kernel is asked (documentation, unit tests). */
    public static KernelFeatures all() {
        return new KernelFeatures(EnumSet.allOf(KernelFeature.class));
    }

    /** Probes the running kernel's BTF. */
    public static KernelFeatures probe() {
        try (KernelBtf btf = KernelBtf.load()) {
            return new KernelFeatures(Arrays.stream(KernelFeature.values()).filter(f -> f.presentIn(btf))
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(KernelFeature.class))));
        }
    }

    public boolean has(KernelFeature feature) {
        return feature == null || present.contains(feature);
    }

    public List<KernelFeature> missing() {
        return Arrays.stream(KernelFeature.values()).filter(f -> !present.contains(f)).toList();
    }

    /** Fails with one line naming what is missing when a required feature is. */
    public void requireSupported() {
        List<String> missing = missing().stream().filter(KernelFeature::required).map(KernelFeature::need).toList();
        if (!missing.isEmpty()) {
            throw new BpfException("this kernel is too old: the agent needs Linux " + KernelFeature.MINIMUM_KERNEL
                    + " or newer, and this one lacks " + String.join("; ", missing));
        }
    }
}
