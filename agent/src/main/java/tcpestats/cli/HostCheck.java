package tcpestats.cli;

import tcpestats.bpf.BpfException;
import tcpestats.bpf.LibbpfInfo;
import tcpestats.collect.Cgroups;
import tcpestats.collect.KernelCollector;
import tcpestats.collect.KernelFeatures;
import tcpestats.collect.NetworkNamespaces;
import tcpestats.mib.MibTable;
import tcpestats.mib.MibVariable;
import tcpestats.mib.Registry;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Can this host run the agent? Each finding says what was checked, whether it is
 * fine, and what to do if not.
 */
final class HostCheck {
    record Finding(String what, boolean ok, String detail) {
        String line() {
            return (ok ? "ok    " : "FAIL  ") + what + ": " + detail;
        }
    }

    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_PERFMON = 38;
    private static final int CAP_BPF = 39;

    private HostCheck() {
    }

    /** Every check, including a real load and attach of the BPF programs when the others pass. */
    static List<Finding> run() {
        List<Finding> findings = new ArrayList<>();
        findings.add(libbpf());
        findings.add(btf());
        Optional<Path> cgroup = Cgroups.cgroup2Root(Path.of("/proc/self/mountinfo"));
        findings.add(cgroup.map(p -> new Finding("cgroup v2", true, "mounted at " + p))
                .orElseGet(() -> new Finding("cgroup v2", false,
                        "no cgroup2 mount; mount one with: mount -t cgroup2 none /sys/fs/cgroup/unified")));
        findings.add(privileges());
        if (findings.stream().allMatch(Finding::ok)) {
            findings.addAll(attach(cgroup.orElseThrow()));
        }
        return findings;
    }

    private static Finding libbpf() {
        try {
            String version = LibbpfInfo.version();
            String[] parts = version.split("\\.");
            boolean ok = Integer.parseInt(parts[0]) > 1 || Integer.parseInt(parts[0]) == 1 && Integer.parseInt(parts[1]) >= 1;
            return new Finding("libbpf", ok, ok ? "version " + version
                    : "version " + version + " is too old; 1.1 or newer is needed (apt-get install -y libbpf1)");
        } catch (BpfException | ExceptionInInitializerError | NoClassDefFoundError e) {
            return new Finding("libbpf", false, "libbpf.so.1 cannot be loaded; install it with: apt-get install -y libbpf1");
        }
    }

    private static Finding btf() {
        Path btf = Path.of("/sys/kernel/btf/vmlinux");
        return Files.isReadable(btf)
                ? new Finding("kernel BTF", true, btf + " is readable")
                : new Finding("kernel BTF", false, btf + " is missing: the kernel needs CONFIG_DEBUG_INFO_BTF=y (5.8 or newer)");
    }

    static Finding privileges() {
        BigInteger caps = effectiveCapabilities();
        boolean sysAdmin = caps.testBit(CAP_SYS_ADMIN);
        List<String> missing = new ArrayList<>();
        if (!caps.testBit(CAP_BPF) && !sysAdmin) {
            missing.add("CAP_BPF");
        }
        if (!caps.testBit(CAP_PERFMON) && !sysAdmin) {
            missing.add("CAP_PERFMON");
        }
        if (!caps.testBit(CAP_NET_ADMIN)) {
            missing.add("CAP_NET_ADMIN");
        }
        if (missing.isEmpty()) {
            return new Finding("privileges", true, sysAdmin ? "CAP_SYS_ADMIN and CAP_NET_ADMIN" : "CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN");
        }
        return new Finding("privileges", false, "missing " + String.join(", ", missing)
                + "; run as root or grant CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN (systemd: AmbientCapabilities=, "
                + "see conf/tcp-estats-agent.service)");
    }

    private static BigInteger effectiveCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return new BigInteger(line.substring(7).strip(), 16);
                }
            }
        } catch (IOException e) {
            // treated as no capabilities
        }
        return BigInteger.ZERO;
    }

    /**
     * Starts the kernel side exactly as {@code run} does, then stops it; on success one
     * finding per table says how many of its objects this kernel provides.
     */
    private static List<Finding> attach(Path cgroup) {
        List<Finding> findings = new ArrayList<>();
        KernelFeatures features;
        try (KernelCollector collector = KernelCollector.start(cgroup)) {
            features = collector.features();
            findings.add(new Finding("BPF programs", true, "load and attach (tp_btf, sockops, cgroup_skb, iter/tcp, "
                    + "iter/task_file); kernel " + System.getProperty("os.version") + ", tick rate " + collector.hz()
                    + " Hz"));
            long others = NetworkNamespaces.host().list().keySet().stream().filter(n -> n != collector.ownNetns())
                    .count();
            String how = collector.listsOtherNamespacesWhole() ? "listed whole (the agent may enter them)"
                    : "listed through the sockets processes hold there: without CAP_SYS_ADMIN the agent cannot "
                    + "enter them, so their TIME_WAIT and request sockets, orphans and connections not yet accepted "
                    + "are not listed";
            findings.add(new Finding("network namespaces", true, "this one (netns:" + collector.ownNetns()
                    + ") is the default context; " + others + " other" + (others == 1 ? " is" : "s are")
                    + " served as contexts netns:INODE, " + how));
        } catch (BpfException e) {
            findings.add(new Finding("BPF programs", false, e.getMessage()));
            return findings;
        }
        for (MibTable table : MibTable.values()) {
            if (!table.isTable()) {
                continue;
            }
            List<MibVariable> all = Registry.columns(table);
            List<String> missing = all.stream().filter(v -> !v.servedWith(features))
                    .map(v -> v.name() + ": needs " + v.needs().need()).toList();
            findings.add(new Finding(table.tableName(), true, (all.size() - missing.size()) + " of " + all.size()
                    + " objects" + (missing.isEmpty() ? "" : "; not on this kernel: " + String.join("; ", missing))));
        }
        return findings;
    }
}
