package tcpestats.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/** A program of a {@link BpfObject}; attaching it returns a {@link BpfLink}. */
public final class BpfProgram {
    /** offsetof(struct bpf_prog_info, recursion_misses) (Linux 5.12 and later). */
    static final long RECURSION_MISSES_OFFSET = Abi.get("bpf_prog_info.recursion_misses");
    /** The head of struct bpf_prog_info that reaches recursion_misses. */
    static final int PROG_INFO_BYTES = (int) RECURSION_MISSES_OFFSET + Long.BYTES;

    private final BpfObject object;
    private final MemorySegment handle;
    private final String name;

    BpfProgram(BpfObject object, MemorySegment handle, String name) {
        this.object = object;
        this.handle = handle;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /**
     * Runs the kernel skipped because this program was already running on that CPU (a
     * tracepoint hit again inside an interrupt); 0 on kernels older than 5.12, which do
     * not count them.
     */
    public long recursionMisses() {
        try (Arena tmp = Arena.ofConfined()) {
            int fd = (int) Libbpf.PROGRAM_FD.invokeExact(handle);
            MemorySegment info = tmp.allocate(PROG_INFO_BYTES, 8);
            MemorySegment length = tmp.allocateFrom(ValueLayout.JAVA_INT, PROG_INFO_BYTES);
            int rc = (int) Libbpf.OBJ_GET_INFO_BY_FD.invokeExact(fd, info, length);
            if (rc != 0) {
                throw BpfException.of("cannot read the statistics of " + name, rc);
            }
            boolean counted = length.get(ValueLayout.JAVA_INT, 0) >= RECURSION_MISSES_OFFSET + Long.BYTES;
            return counted ? info.get(ValueLayout.JAVA_LONG, RECURSION_MISSES_OFFSET) : 0;
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    /** struct bpf_test_run_opts of the libbpf headers built against: sz, ctx_in, ctx_size_in. */
    private static final long TEST_RUN_OPTS_SIZE = Abi.get("bpf_test_run_opts.size");
    private static final long TEST_RUN_CTX_IN = Abi.get("bpf_test_run_opts.ctx_in");
    private static final long TEST_RUN_CTX_SIZE_IN = Abi.get("bpf_test_run_opts.ctx_size_in");

    /**
     * Runs a loaded BPF_PROG_TYPE_SYSCALL program once (BPF_PROG_TEST_RUN) on {@code context},
     * which the kernel copies in and, with what the program wrote, back out.
     */
    public void run(MemorySegment context) {
        try (Arena tmp = Arena.ofConfined()) {
            int fd = (int) Libbpf.PROGRAM_FD.invokeExact(handle);
            MemorySegment opts = tmp.allocate(TEST_RUN_OPTS_SIZE, 8);
            opts.set(ValueLayout.JAVA_LONG, 0, TEST_RUN_OPTS_SIZE);
            opts.set(ValueLayout.ADDRESS, TEST_RUN_CTX_IN, context);
            opts.set(ValueLayout.JAVA_INT, TEST_RUN_CTX_SIZE_IN, (int) context.byteSize());
            MemorySegment errno = Libbpf.newErrnoCapture(tmp);
            int rc = (int) Libbpf.PROG_TEST_RUN_OPTS.invokeExact(errno, fd, opts);
            if (rc != 0) {
                throw BpfException.of("cannot run " + name, Libbpf.errno(errno));
            }
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    /** Whether {@link BpfObject#load()} loads this program; set before load. */
    public void setAutoload(boolean autoload) {
        try {
            int rc = (int) Libbpf.PROGRAM_SET_AUTOLOAD.invokeExact(handle, autoload);
            if (rc != 0) {
                throw BpfException.of("cannot set autoload of " + name, rc);
            }
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    /** Attaches by section name (tp_btf, tracepoint, ...). */
    public BpfLink attach() {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errno = Libbpf.newErrnoCapture(tmp);
            MemorySegment link = (MemorySegment) Libbpf.PROGRAM_ATTACH.invokeExact(errno, handle);
            return track(link, errno, "attach " + name);
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    /** Attaches to a cgroup v2 directory (sockops, cgroup_skb); the link holds the attachment. */
    public BpfLink attachCgroup(Path cgroup) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errno = Libbpf.newErrnoCapture(tmp);
            int fd = (int) Libbpf.OPEN.invokeExact(errno, tmp.allocateFrom(cgroup.toString()),
                    Libbpf.O_RDONLY | Libbpf.O_DIRECTORY | Libbpf.O_CLOEXEC, 0);
            if (fd < 0) {
                throw BpfException.of("cannot open cgroup " + cgroup, Libbpf.errno(errno));
            }
            try {
                MemorySegment link = (MemorySegment) Libbpf.PROGRAM_ATTACH_CGROUP.invokeExact(errno, handle, fd);
                return track(link, errno, "attach " + name + " to cgroup " + cgroup);
            } finally {
                // the link keeps its own reference to the cgroup
                Libbpf.closeFd(fd);
            }
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    /** Attaches an iterator program; read it with {@link BpfIterator}. */
    public BpfIterator attachIterator() {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errno = Libbpf.newErrnoCapture(tmp);
            MemorySegment link = (MemorySegment) Libbpf.PROGRAM_ATTACH_ITER.invokeExact(errno, handle, MemorySegment.NULL);
            return new BpfIterator(track(link, errno, "attach iterator " + name));
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    private BpfLink track(MemorySegment link, MemorySegment errno, String what) {
        if (link.equals(MemorySegment.NULL)) {
            throw BpfException.of("cannot " + what, Libbpf.errno(errno));
        }
        BpfLink l = new BpfLink(object, link, name);
        object.track(l);
        return l;
    }
}
