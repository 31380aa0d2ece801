package tcpestats.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Downcall handles into the system libbpf.so.1 and the few libc functions it needs,
 * bound with java.lang.foreign. Functions marked "errno" take a leading capture
 * segment (see {@link #newErrnoCapture}) because the JVM may clobber errno between
 * two downcalls.
 */
final class Libbpf {
    static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final MemoryLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    static final String LIBRARY = "libbpf.so.1";
    private static final SymbolLookup BPF;
    private static final SymbolLookup LIBC = LINKER.defaultLookup();

    static {
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new BpfException(LIBRARY + " was not found; install it with: apt-get install -y libbpf1", e);
        }
        BPF = lookup;
    }

    // bpf_object
    static final MethodHandle OBJECT_OPEN_MEM = bpf("bpf_object__open_mem",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS), ERRNO);
    static final MethodHandle OBJECT_LOAD = bpf("bpf_object__load", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle OBJECT_CLOSE = bpf("bpf_object__close", FunctionDescriptor.ofVoid(ADDRESS));
    static final MethodHandle OBJECT_BTF = bpf("bpf_object__btf", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle OBJECT_FIND_PROGRAM = bpf("bpf_object__find_program_by_name",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle OBJECT_FIND_MAP = bpf("bpf_object__find_map_by_name",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));

    // bpf_program
    static final MethodHandle PROGRAM_FD = bpf("bpf_program__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle PROGRAM_SET_AUTOLOAD = bpf("bpf_program__set_autoload",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BOOLEAN));
    static final MethodHandle PROGRAM_ATTACH = bpf("bpf_program__attach",
            FunctionDescriptor.of(ADDRESS, ADDRESS), ERRNO);
    static final MethodHandle PROGRAM_ATTACH_CGROUP = bpf("bpf_program__attach_cgroup",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT), ERRNO);
    static final MethodHandle PROGRAM_ATTACH_ITER = bpf("bpf_program__attach_iter",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS), ERRNO);
    static final MethodHandle PROG_TEST_RUN_OPTS = bpf("bpf_prog_test_run_opts",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), ERRNO);
    static final MethodHandle OBJ_GET_INFO_BY_FD = bpf("bpf_obj_get_info_by_fd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

    // bpf_link
    static final MethodHandle LINK_FD = bpf("bpf_link__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle LINK_DESTROY = bpf("bpf_link__destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle ITER_CREATE = bpf("bpf_iter_create", FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO);

    // bpf_map
    static final MethodHandle MAP_FD = bpf("bpf_map__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle MAP_SET_MAX_ENTRIES = bpf("bpf_map__set_max_entries",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle MAP_VALUE_SIZE = bpf("bpf_map__value_size", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle MAP_LOOKUP_ELEM = bpf("bpf_map_lookup_elem",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), ERRNO);
    static final MethodHandle MAP_GET_NEXT_KEY = bpf("bpf_map_get_next_key",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), ERRNO);
    static final MethodHandle MAP_DELETE_ELEM = bpf("bpf_map_delete_elem",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), ERRNO);
    static final MethodHandle MAP_UPDATE_ELEM = bpf("bpf_map_update_elem",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), ERRNO);

    // ring buffer
    static final MethodHandle RING_BUFFER_NEW = bpf("ring_buffer__new",
            FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS), ERRNO);
    static final MethodHandle RING_BUFFER_CONSUME = bpf("ring_buffer__consume",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle RING_BUFFER_EPOLL_FD = bpf("ring_buffer__epoll_fd",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle RING_BUFFER_FREE = bpf("ring_buffer__free", FunctionDescriptor.ofVoid(ADDRESS));

    // btf
    static final MethodHandle BTF_FIND_BY_NAME_KIND = bpf("btf__find_by_name_kind",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle BTF_TYPE_CNT = bpf("btf__type_cnt", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle BTF_TYPE_BY_ID = bpf("btf__type_by_id",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle BTF_NAME_BY_OFFSET = bpf("btf__name_by_offset",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle BTF_LOAD_VMLINUX = bpf("btf__load_vmlinux_btf", FunctionDescriptor.of(ADDRESS), ERRNO);
    static final MethodHandle BTF_FREE = bpf("btf__free", FunctionDescriptor.ofVoid(ADDRESS));

    // diagnostics
    static final MethodHandle SET_PRINT = bpf("libbpf_set_print", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle STRERROR = bpf("libbpf_strerror",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle MAJOR_VERSION = bpf("libbpf_major_version", FunctionDescriptor.of(JAVA_INT));
    static final MethodHandle MINOR_VERSION = bpf("libbpf_minor_version", FunctionDescriptor.of(JAVA_INT));

    // libc
    static final MethodHandle VSNPRINTF = libc("vsnprintf",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));
    static final MethodHandle OPEN = libc("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2), ERRNO);
    static final MethodHandle READ = libc("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO);
    static final MethodHandle CLOSE = libc("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    static final MethodHandle SETNS = libc("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), ERRNO);
    static final MethodHandle EPOLL_WAIT = libc("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), ERRNO);
    static final int EPOLL_EVENT_BYTES = Abi.get("epoll_event.size");

    static final int O_RDONLY = Abi.get("O_RDONLY");
    static final int O_DIRECTORY = Abi.get("O_DIRECTORY");
    static final int O_CLOEXEC = Abi.get("O_CLOEXEC");
    static final int CLONE_NEWNET = Abi.get("CLONE_NEWNET");
    static final int EINTR = Abi.get("EINTR");
    static final int EAGAIN = Abi.get("EAGAIN");

    private Libbpf() {
    }

    private static MethodHandle bpf(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = BPF.find(name).orElseThrow(() ->
                new BpfException(LIBRARY + " has no " + name + "; libbpf 1.1 or newer is required"));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    private static MethodHandle libc(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), fd, options);
    }

    static MemorySegment newErrnoCapture(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    static int errno(MemorySegment capture) {
        return (int) ERRNO_HANDLE.get(capture, 0L);
    }

    /** libbpf's text for an error number, including its own codes from 4000 up. */
    static String strerror(int err) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256);
            int rc = (int) STRERROR.invokeExact(Math.abs(err), buf, 256L);
            String text = buf.getString(0);
            return rc == 0 && !text.isEmpty() ? text : "error " + Math.abs(err);
        } catch (Throwable t) {
            return "error " + Math.abs(err);
        }
    }

    /** "1.1" for the loaded libbpf. */
    static String version() {
        try {
            return (int) MAJOR_VERSION.invokeExact() + "." + (int) MINOR_VERSION.invokeExact();
        } catch (Throwable t) {
            throw new BpfException("cannot query the libbpf version", t);
        }
    }

    static void closeFd(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new BpfException("close(" + fd + ") failed", t);
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new BpfException(t.getMessage(), t);
    }
}
