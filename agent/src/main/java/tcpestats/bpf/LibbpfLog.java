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
 * The print callback receives a va_list; on x86-64 that is a pointer to a 24-byte
 * __va_list_tag which vsnprintf can consume once, so it is copied before each try.
 */
public final class LibbpfLog {
    private static final Logger LOG = LogManager.getLogger("libbpf");
    private static final long VA_LIST_SIZE = 24;
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
