package tcpestats.collect;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The network namespaces of the host as /proc and /run/netns show them: each by its
 * inode (what {@code stat -L -c %i /proc/PID/ns/net} and {@code lsns -t net} print), with
 * what an operator knows it by.
 */
public final class NetworkNamespaces {
    /**
     * What is known of a namespace.
     *
     * @param names  its {@code ip netns} names (bind mounts in /run/netns)
     * @param pid    the lowest-numbered process inside, 0 if none could be seen
     * @param cgroup that process's cgroup v2 path (a docker-ID.scope, a kubepods slice), or ""
     * @param file   a file that holds the namespace, to enter it: /run/netns/NAME or /proc/PID/ns/net
     */
    public record Namespace(long inode, List<String> names, long pid, String cgroup, Path file) {
        /** "ip netns estats-a1b2; pid 4242 in /system.slice/docker-0123.scope" */
        public String describe() {
            StringBuilder out = new StringBuilder();
            if (!names.isEmpty()) {
                out.append("ip netns ").append(String.join(", ", names));
            }
            if (pid != 0) {
                out.append(out.isEmpty() ? "" : "; ").append("pid ").append(pid);
                if (!cgroup.isEmpty()) {
                    out.append(" in ").append(cgroup);
                }
            }
            return out.isEmpty() ? "no process or ip netns name seen" : out.toString();
        }
    }

    /** The host's: one listing, at most a second old, serves kernel passes and SNMP contexts alike. */
    private static final NetworkNamespaces HOST = new NetworkNamespaces(Path.of("/proc"), Path.of("/run/netns"),
            1_000_000_000L);

    private final Path proc;
    private final Path runNetns;
    private final long maxAgeNanos;
    private Map<Long, Namespace> listing = Map.of();
    private long listedAt;

    /** @param maxAgeNanos how long a scan of /proc and /run/netns is reused */
    public NetworkNamespaces(Path proc, Path runNetns, long maxAgeNanos) {
        this.proc = proc;
        this.runNetns = runNetns;
        this.maxAgeNanos = maxAgeNanos;
    }

    public static NetworkNamespaces host() {
        return HOST;
    }

    /** The namespace inode a /proc/PID/ns/net link names ("net:[4026531840]"). */
    public static long inodeOf(Path nsLink) {
        try {
            String target = Files.readSymbolicLink(nsLink).toString();
            return Long.parseLong(target.substring(target.indexOf('[') + 1, target.indexOf(']')));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the network namespace of " + nsLink + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every namespace a process is in or an {@code ip netns} name holds, as a scan at most
     * maxAgeNanos old found them. Processes whose namespace the agent may not read (other
     * users', without CAP_SYS_PTRACE) are left out.
     */
    public synchronized Map<Long, Namespace> list() {
        if (listedAt == 0 || System.nanoTime() - listedAt > maxAgeNanos) {
            rescan();
        }
        return listing;
    }

    /** Namespace {@code inode}, scanning again if the listing predates it; empty if nothing shows it. */
    public synchronized Optional<Namespace> find(long inode) {
        if (!list().containsKey(inode)) {
            rescan();
        }
        return Optional.ofNullable(listing.get(inode));
    }

    private void rescan() {
        listedAt = System.nanoTime();
        listing = Map.copyOf(scan());
    }

    private Map<Long, Namespace> scan() {
        Map<Long, Long> pids = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, p -> p.getFileName().toString()
                .chars().allMatch(Character::isDigit))) {
            for (Path dir : dirs) {
                try {
                    String target = Files.readSymbolicLink(dir.resolve("ns/net")).toString();
                    long inode = Long.parseLong(target.substring(target.indexOf('[') + 1, target.indexOf(']')));
                    pids.merge(inode, Long.parseLong(dir.getFileName().toString()), Math::min);
                } catch (IOException | RuntimeException e) {
                    // gone, a kernel thread, or not ours to read
                }
            }
        } catch (IOException e) {
            // no /proc: only the names below
        }
        Map<Long, List<String>> names = new HashMap<>();
        if (Files.isDirectory(runNetns)) {
            try (DirectoryStream<Path> mounts = Files.newDirectoryStream(runNetns)) {
                for (Path mount : mounts) {
                    try {
                        long inode = ((Number) Files.getAttribute(mount, "unix:ino")).longValue();
                        names.computeIfAbsent(inode, k -> new java.util.ArrayList<>())
                                .add(mount.getFileName().toString());
                    } catch (IOException | RuntimeException e) {
                        // removed meanwhile
                    }
                }
            } catch (IOException e) {
                // unreadable: no names
            }
        }
        Map<Long, Namespace> all = new HashMap<>();
        pids.forEach((inode, pid) -> {
            List<String> n = names.getOrDefault(inode, List.of()).stream().sorted().toList();
            all.put(inode, new Namespace(inode, n, pid, cgroupOf(pid).orElse(""),
                    n.isEmpty() ? proc.resolve(pid + "/ns/net") : runNetns.resolve(n.getFirst())));
        });
        names.forEach((inode, n) -> {
            List<String> sorted = n.stream().sorted().toList();
            all.putIfAbsent(inode, new Namespace(inode, sorted, 0, "", runNetns.resolve(sorted.getFirst())));
        });
        return all;
    }

    private Optional<String> cgroupOf(long pid) {
        try {
            for (String line : Files.readAllLines(proc.resolve(pid + "/cgroup"))) {
                if (line.startsWith("0::")) {
                    return Optional.of(line.substring(3));
                }
            }
        } catch (IOException e) {
            // gone
        }
        return Optional.empty();
    }
}
