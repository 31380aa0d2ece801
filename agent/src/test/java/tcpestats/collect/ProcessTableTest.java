package tcpestats.collect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Socket owners from a /proc-like tree of fd links: an inode no process holds is looked for
 * once more after it was first asked for, then starts no scan again; a new one does.
 */
class ProcessTableTest {
    private static final long INTERVAL = 10;

    private final AtomicLong clock = new AtomicLong();

    private static void holds(Path proc, long pid, int fd, long inode) throws IOException {
        Path fds = Files.createDirectories(proc.resolve(Long.toString(pid)).resolve("fd"));
        Files.createSymbolicLink(fds.resolve(Integer.toString(fd)), Path.of("socket:[" + inode + "]"));
    }

    @Test
    void anInodeNoProcessHoldsStartsNoScanOnceAScanAfterItsFirstSightMissedIt(@TempDir Path proc)
            throws IOException {
        holds(proc, 100, 3, 555);
        Files.createDirectories(proc.resolve("self")); // not a pid
        ProcessTable table = new ProcessTable(proc, INTERVAL, clock::get);
        assertEquals(100, table.pidOf(555));
        assertEquals(0, table.pidOf(0));

        clock.set(1);
        assertEquals(0, table.pidOf(777), "unknown, and the last scan was less than the interval ago");
        clock.set(20);
        assertEquals(0, table.pidOf(777), "a scan after its first sight did not find it either");

        holds(proc, 200, 4, 777);
        holds(proc, 200, 5, 888);
        clock.set(40);
        assertEquals(0, table.pidOf(777), "no scan for an inode no process held");
        clock.set(41);
        assertEquals(200, table.pidOf(888), "a new inode scans again");
        assertEquals(200, table.pidOf(777), "and what that scan finds is known");
    }

    @Test
    void anInodeFirstSeenBetweenScansIsLookedForAtTheNextOne(@TempDir Path proc) throws IOException {
        holds(proc, 100, 3, 555);
        ProcessTable table = new ProcessTable(proc, INTERVAL, clock::get);
        assertEquals(100, table.pidOf(555));
        clock.set(2);
        assertEquals(0, table.pidOf(999), "its process is not there yet: the connection is new");
        holds(proc, 300, 7, 999);
        clock.set(5);
        assertEquals(0, table.pidOf(999), "within the interval: no scan");
        clock.set(12);
        assertEquals(300, table.pidOf(999));
    }
}
