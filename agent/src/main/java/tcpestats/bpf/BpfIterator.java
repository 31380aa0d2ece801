package tcpestats.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

/**
 * An attached iterator program. Each {@link #read} starts a fresh pass over the kernel
 * objects and hands over the fixed-size records the program wrote. The iterator fd is an anonymous
 * inode, so it is read with read(2) through FFM rather than with Java streams.
 */
public final class BpfIterator implements AutoCloseable {
    /** The kernel's seq_file hands out at most 8 pages per read(). */
    private static final long READ_CHUNK = 64 * 1024;

    private final BpfLink link;

    BpfIterator(BpfLink link) {
        this.link = link;
    }

    /**
     * Runs one pass, handing each record of {@code recordSize} bytes to {@code sink} as it is
     * read (a view valid only during the call): a pass of every socket of a busy host is never
     * held whole. Output that ends inside a record is an error.
     */
    public void read(long recordSize, Consumer<MemorySegment> sink) {
        readFrom(create(), recordSize, sink);
    }

    /**
     * Runs one pass in another network namespace: iter/tcp lists the sockets of the namespace
     * its pass was started in. The calling thread enters {@code namespace} (an open
     * /proc/PID/ns/net or /run/netns/NAME) to start the pass and returns to {@code home}
     * before reading; entering needs CAP_SYS_ADMIN. Call it from a thread of its own: if
     * the return fails, the thread is left in the other namespace and this throws
     * {@link IllegalStateException}.
     */
    public void readIn(NamespaceFile namespace, NamespaceFile home, long recordSize, Consumer<MemorySegment> sink) {
        namespace.enter();
        int fd;
        try {
            fd = create();
        } finally {
            try {
                home.enter();
            } catch (BpfException e) {
                throw new IllegalStateException("cannot return to the agent's network namespace: " + e.getMessage(), e);
            }
        }
        readFrom(fd, recordSize, sink);
    }

    private int create() {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errno = Libbpf.newErrnoCapture(tmp);
            int fd = (int) Libbpf.ITER_CREATE.invokeExact(errno, link.fd());
            if (fd < 0) {
                throw BpfException.of("cannot start iterator " + link.programName(), Libbpf.errno(errno));
            }
            return fd;
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    /** Reads a started pass to its end, record by record, and closes it. */
    private void readFrom(int fd, long recordSize, Consumer<MemorySegment> sink) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errno = Libbpf.newErrnoCapture(tmp);
            try {
                // a read may end inside a record: its start waits at the front for the rest
                MemorySegment buf = tmp.allocate(READ_CHUNK + recordSize, 8);
                long filled = 0;
                while (true) {
                    long n = (long) Libbpf.READ.invokeExact(errno, fd, buf.asSlice(filled), READ_CHUNK);
                    if (n == 0) {
                        if (filled != 0) {
                            throw new BpfException("iterator " + link.programName() + " ended inside a record ("
                                    + filled + " of " + recordSize + " bytes)");
                        }
                        return;
                    }
                    if (n < 0) {
                        int err = Libbpf.errno(errno);
                        if (err == Libbpf.EINTR || err == Libbpf.EAGAIN) {
                            continue;
                        }
                        throw BpfException.of("read of iterator " + link.programName(), err);
                    }
                    filled += n;
                    long whole = filled - filled % recordSize;
                    for (long off = 0; off < whole; off += recordSize) {
                        sink.accept(buf.asSlice(off, recordSize));
                    }
                    MemorySegment.copy(buf, whole, buf, 0, filled - whole);
                    filled -= whole;
                }
            } finally {
                Libbpf.closeFd(fd);
            }
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    @Override
    public void close() {
        link.close();
    }
}
