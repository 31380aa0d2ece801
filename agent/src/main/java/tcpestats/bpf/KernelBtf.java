package tcpestats.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The running kernel's own type information (/sys/kernel/btf/vmlinux, as libbpf finds
 * it): which struct members, enumerators and tracepoints this kernel has. CO-RE relocates
 * the BPF programs against the same data, so what this says is what they will find.
 */
public final class KernelBtf implements AutoCloseable {
    private final MemorySegment handle;
    private final Btf btf;

    private KernelBtf(MemorySegment handle) {
        this.handle = handle;
        this.btf = new Btf(handle);
    }

    public static KernelBtf load() {
        LibbpfLog.install();
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errno = Libbpf.newErrnoCapture(tmp);
            MemorySegment h = (MemorySegment) Libbpf.BTF_LOAD_VMLINUX.invokeExact(errno);
            if (h.equals(MemorySegment.NULL)) {
                throw BpfException.of("cannot read the kernel's BTF (/sys/kernel/btf/vmlinux; the kernel needs "
                        + "CONFIG_DEBUG_INFO_BTF=y)", Libbpf.errno(errno));
            }
            return new KernelBtf(h);
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    /** Whether struct {@code struct} has a member {@code member}, also inside its anonymous structs and unions. */
    public boolean hasMember(String struct, String member) {
        return btf.find(struct, Btf.KIND_STRUCT).map(id -> hasMember(id, member)).orElse(false);
    }

    private boolean hasMember(int id, String member) {
        for (Btf.Member m : btf.members(id)) {
            if (m.name().equals(member)) {
                return true;
            }
            if (m.name().isEmpty()) {
                int kind = btf.kind(m.type());
                if ((kind == Btf.KIND_STRUCT || kind == Btf.KIND_UNION) && hasMember(m.type(), member)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether any enum has the enumerator {@code value}: for the kernel's API constants, which
     * are mostly enumerators of anonymous enums.
     */
    public boolean hasEnumerator(String value) {
        for (int id = 1, count = btf.typeCount(); id < count; id++) {
            int kind = btf.kind(id);
            if ((kind == Btf.KIND_ENUM || kind == Btf.KIND_ENUM64) && btf.enumerators(id).contains(value)) {
                return true;
            }
        }
        return false;
    }

    /** Whether enum {@code enumName} has the enumerator {@code value}. */
    public boolean hasEnumerator(String enumName, String value) {
        Optional<Integer> id = btf.find(enumName, Btf.KIND_ENUM).or(() -> btf.find(enumName, Btf.KIND_ENUM64));
        return id.map(i -> btf.enumerators(i).contains(value)).orElse(false);
    }

    /**
     * The arguments a tp_btf program of raw tracepoint {@code name} receives, from the
     * kernel's typedef {@code btf_trace_NAME} (a pointer to a function whose first
     * parameter is the tracepoint's data); empty when the kernel has no such tracepoint.
     */
    public OptionalInt tracepointArguments(String name) {
        Optional<Integer> typedef = btf.find("btf_trace_" + name, Btf.KIND_TYPEDEF);
        if (typedef.isEmpty()) {
            return OptionalInt.empty();
        }
        int ptr = btf.sizeOrType(typedef.get());
        if (btf.kind(ptr) != Btf.KIND_PTR) {
            return OptionalInt.empty();
        }
        int proto = btf.sizeOrType(ptr);
        return btf.kind(proto) == Btf.KIND_FUNC_PROTO ? OptionalInt.of(btf.parameterCount(proto) - 1)
                : OptionalInt.empty();
    }

    @Override
    public void close() {
        try {
            Libbpf.BTF_FREE.invokeExact(handle);
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }
}
