package tcpestats.bpf;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Routes libbpf's own log (including the verifier log) to Log4j 2 logger "libbpf".
 * The print callback receives a va_list, which reaches C code as a pointer to a struct
 * that vsnprintf consumes: 24 bytes on x86-64 (__va_list_tag), 32 on AArch64 (AAPCS64
 * passes its 32-byte struct by reference), so it is copied before each try. On any other
 * architecture the format string is logged as it is.
 */
public final class LibbpfLog {
    private static final Logger LOG = LogManager.getLogger("libbpf");
    /** The size of the struct a va_list points to on this architecture; 0 if not known here. */
    private static final long VA_LIST_SIZE = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 24;
        case "aarch64" -> 32;
        default -> 0;
    };
    private static volatile boolean installed;

    private LibbpfLog() {
    }

    /** Installs the callback once for the life of the JVM. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        try {
            var handle = MethodHandles.lookup().findStatic(LibbpfLog.class, "print",
                    MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class));
            MemorySegment stub = Libbpf.LINKER.upcallStub(handle,
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), Arena.global());
            MemorySegment ignored = (MemorySegment) Libbpf.SET_PRINT.invokeExact(stub);
            installed = true;
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    /** libbpf_print_fn_t: int (enum libbpf_print_level, const char *fmt, va_list). */
    private static int print(int level, MemorySegment format, MemorySegment vaList) {
        try {
            Level log4jLevel = switch (level) {
                case 0 -> Level.WARN;   // LIBBPF_WARN
                case 1 -> Level.INFO;   // LIBBPF_INFO
                default -> Level.DEBUG; // LIBBPF_DEBUG
            };
            if (!LOG.isEnabled(log4jLevel)) {
                return 0;
            }
            LOG.log(log4jLevel, format(format, vaList).stripTrailing());
        } catch (Throwable t) {
            // an exception escaping an upcall would terminate the JVM
        }
        return 0;
    }

    private static String format(MemorySegment format, MemorySegment vaList) throws Throwable {
        if (VA_LIST_SIZE == 0) {
            return format.reinterpret(4096).getString(0);
        }
        MemorySegment original = vaList.reinterpret(VA_LIST_SIZE);
        try (Arena arena = Arena.ofConfined()) {
            long size = 512;
            while (true) {
                MemorySegment copy = arena.allocate(VA_LIST_SIZE, 16);
                copy.copyFrom(original);
                MemorySegment buf = arena.allocate(size);
                int needed = (int) Libbpf.VSNPRINTF.invokeExact(buf, size, format, copy);
                if (needed < 0) {
                    return format.reinterpret(4096).getString(0);
                }
                if (needed < size) {
                    return buf.getString(0);
                }
                size = needed + 1L;
            }
        }
    }
}
