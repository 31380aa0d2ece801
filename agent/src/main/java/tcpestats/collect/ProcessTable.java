package tcpestats.collect;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Maps socket inodes to the process that holds them, by reading the links in
 * /proc/PID/fd ("socket:[INODE]"), the way ss -p and netstat -p do. A scan costs
 * one readlink per open file of the host, so it is repeated at most every
 * {@code minScanIntervalNanos} and only when an inode is unknown.
 */
public final class ProcessTable {
    private final Path proc;
    private final long minScanIntervalNanos;
    private Map<Long, Long> pidByInode = Map.of();
    private long lastScanNanos = Long.MIN_VALUE / 2;

    public ProcessTable(Path proc, long minScanIntervalNanos) {
        this.proc = proc;
        this.minScanIntervalNanos = minScanIntervalNanos;
    }

    /** The pid holding socket {@code inode}, or 0 if none (or not known yet). */
    public synchronized long pidOf(long inode) {
        if (inode == 0) {
            return 0;
        }
        Long pid = pidByInode.get(inode);
        if (pid == null && System.nanoTime() - lastScanNanos >= minScanIntervalNanos) {
            pidByInode = scan();
            lastScanNanos = System.nanoTime();
            pid = pidByInode.get(inode);
        }
        return pid == null ? 0 : pid;
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
