package tcpestats.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * An open network namespace file (/proc/PID/ns/net, /run/netns/NAME) that a thread can
 * enter with setns(2). Entering needs CAP_SYS_ADMIN.
 */
public final class NamespaceFile implements AutoCloseable {
    private final Path path;
    private final int fd;

    private NamespaceFile(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    public static NamespaceFile open(Path path) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errno = Libbpf.newErrnoCapture(tmp);
            int fd = (int) Libbpf.OPEN.invokeExact(errno, tmp.allocateFrom(path.toString()),
                    Libbpf.O_RDONLY | Libbpf.O_CLOEXEC, 0);
            if (fd < 0) {
                throw BpfException.of("cannot open " + path, Libbpf.errno(errno));
            }
            return new NamespaceFile(path, fd);
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    /** Moves the calling thread into this network namespace. */
    public void enter() {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errno = Libbpf.newErrnoCapture(tmp);
            int rc = (int) Libbpf.SETNS.invokeExact(errno, fd, Libbpf.CLONE_NEWNET);
            if (rc != 0) {
                throw BpfException.of("cannot enter the network namespace of " + path, Libbpf.errno(errno));
            }
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        Libbpf.closeFd(fd);
    }
}
