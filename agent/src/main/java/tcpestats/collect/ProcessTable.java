package tcpestats.collect;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Maps socket inodes to the process that holds them, by reading the links in
 * /proc/PID/fd ("socket:[INODE]"), the way ss -p and netstat -p do. A scan costs
 * one readlink per open file of the host, so it is repeated at most every
 * {@code minScanIntervalNanos} and only when an inode is unknown. An inode that a scan
 * made after it was first asked for did not find either (a kernel socket, or a process
 * this agent cannot read) starts no scan again: one such listener made every kernel pass
 * read every descriptor of the host anew.
 */
public final class ProcessTable {
    /** How many inodes no process holds are remembered; past that the memory starts afresh. */
    private static final int MAX_ABSENT = 65_536;

    private final Path proc;
    private final long minScanIntervalNanos;
    private final LongSupplier nanoTime;
    private Map<Long, Long> pidByInode = Map.of();
    private long lastScanNanos = Long.MIN_VALUE / 2;
    /** Unknown inodes and when they were first asked for, until a scan after that settles them. */
    private final Map<Long, Long> askedSince = new HashMap<>();
    private final Set<Long> absent = new HashSet<>();

    public ProcessTable(Path proc, long minScanIntervalNanos) {
        this(proc, minScanIntervalNanos, System::nanoTime);
    }

    ProcessTable(Path proc, long minScanIntervalNanos, LongSupplier nanoTime) {
        this.proc = proc;
        this.minScanIntervalNanos = minScanIntervalNanos;
        this.nanoTime = nanoTime;
    }

    /** The pid holding socket {@code inode}, or 0 if none (or not known yet). */
    public synchronized long pidOf(long inode) {
        if (inode == 0) {
            return 0;
        }
        Long pid = pidByInode.get(inode);
        if (pid != null || absent.contains(inode)) {
            return pid == null ? 0 : pid;
        }
        long now = nanoTime.getAsLong();
        askedSince.putIfAbsent(inode, now);
        if (now - lastScanNanos >= minScanIntervalNanos) {
            pidByInode = scan();
            lastScanNanos = now;
            settle();
            pid = pidByInode.get(inode);
        }
        return pid == null ? 0 : pid;
    }

    /** After a scan: the inodes asked for before it are found, or held by no process it could see. */
    private void settle() {
        if (absent.size() > MAX_ABSENT) {
            absent.clear();
        }
        askedSince.entrySet().removeIf(e -> {
            if (e.getValue() >= lastScanNanos) {
                return false;
            }
            if (!pidByInode.containsKey(e.getKey())) {
                absent.add(e.getKey());
            }
            return true;
        });
    }

    private Map<Long, Long> scan() {
        Map<Long, Long> found = new HashMap<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> isNumber(p.getFileName().toString()))) {
            for (Path pidDir : pids) {
                long pid = Long.parseLong(pidDir.getFileName().toString());
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(pidDir.resolve("fd"))) {
                    for (Path fd : fds) {
                        long inode = socketInode(fd);
                        if (inode != 0) {
                            found.putIfAbsent(inode, pid);
                        }
                    }
                } catch (IOException | SecurityException e) {
                    // the process exited or is not ours to read: skip it
                }
            }
        } catch (IOException e) {
            return pidByInode;
        }
        return found;
    }

    private static long socketInode(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("socket:[") && target.endsWith("]")) {
                return Long.parseLong(target, 8, target.length() - 1, 10);
            }
        } catch (IOException | NumberFormatException e) {
            // closed meanwhile, or not a socket
        }
        return 0;
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
