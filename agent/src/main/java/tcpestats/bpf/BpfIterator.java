package tcpestats.bpf;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * An attached iterator program. Each {@link #read} starts a fresh pass over the kernel
 * objects and returns everything the program wrote. The iterator fd is an anonymous
 * inode, so it is read with read(2) through FFM rather than with Java streams.
 */
public final class BpfIterator implements AutoCloseable {
    /** The kernel's seq_file hands out at most 8 pages per read(). */
    private static final long READ_CHUNK = 64 * 1024;

    private final BpfLink link;

    BpfIterator(BpfLink link) {
        this.link = link;
    }

    /** Runs one pass and returns its output. */
    public byte[] read() {
        return readFrom(create());
    }

    /**
     * Runs one pass in another network namespace: iter/tcp lists the sockets of the namespace
     * its pass was started in. The calling thread enters {@code namespace} (an open
     * /proc/PID/ns/net or /run/netns/NAME) to start the pass and returns to {@code home}
     * before reading; entering needs CAP_SYS_ADMIN. Call it from a thread of its own: if
     * the return fails, the thread is left in the other namespace and this throws
     * {@link IllegalStateException}.
     */
    public byte[] readIn(NamespaceFile namespace, NamespaceFile home) {
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
        return readFrom(fd);
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

    /** Reads a started pass to its end and closes it. */
    private byte[] readFrom(int fd) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errno = Libbpf.newErrnoCapture(tmp);
            try {
                MemorySegment buf = tmp.allocate(READ_CHUNK, 8);
                ByteArrayOutputStream out = new ByteArrayOutputStream((int) READ_CHUNK);
                while (true) {
                    long n = (long) Libbpf.READ.invokeExact(errno, fd, buf, READ_CHUNK);
                    if (n == 0) {
                        return out.toByteArray();
                    }
                    if (n < 0) {
                        int err = Libbpf.errno(errno);
                        if (err == Libbpf.EINTR || err == Libbpf.EAGAIN) {
                            continue;
                        }
                        throw BpfException.of("read of iterator " + link.programName(), err);
                    }
                    out.write(buf.asSlice(0, n).toArray(JAVA_BYTE));
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
