package tcpestats.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Read access to a libbpf {@code struct btf} (a BPF object's or the kernel's): the type
 * kinds the agent inspects, laid out as in the kernel's UAPI {@code linux/btf.h}.
 */
final class Btf {
    static final int KIND_PTR = Abi.get("BTF_KIND_PTR");
    static final int KIND_STRUCT = Abi.get("BTF_KIND_STRUCT");
    static final int KIND_UNION = Abi.get("BTF_KIND_UNION");
    static final int KIND_ENUM = Abi.get("BTF_KIND_ENUM");
    static final int KIND_TYPEDEF = Abi.get("BTF_KIND_TYPEDEF");
    static final int KIND_FUNC_PROTO = Abi.get("BTF_KIND_FUNC_PROTO");
    static final int KIND_VAR = Abi.get("BTF_KIND_VAR");
    static final int KIND_DATASEC = Abi.get("BTF_KIND_DATASEC");
    static final int KIND_ENUM64 = Abi.get("BTF_KIND_ENUM64");

    /** struct btf_type: name_off, info (vlen 0-15, kind 24-28, kind_flag 31), size or type. */
    private static final long TYPE_BYTES = Abi.get("btf_type.size");
    /** struct btf_member {name_off, type, offset}. */
    private static final long MEMBER_BYTES = Abi.get("btf_member.size");
    /** struct btf_var_secinfo {type, offset, size}. */
    private static final long VAR_SECINFO_BYTES = Abi.get("btf_var_secinfo.size");
    /** struct btf_enum {name_off, val} and btf_enum64 {name_off, val_lo32, val_hi32}. */
    private static final long ENUM_BYTES = Abi.get("btf_enum.size");
    private static final long ENUM64_BYTES = Abi.get("btf_enum64.size");

    /** A member of a struct or union; bitOffset already decoded from the kind_flag encoding. */
    record Member(String name, int type, long bitOffset) {
    }

    /** An entry of a DATASEC: a global variable, its offset and size in the section. */
    record Variable(String name, long offset, long size) {
    }

    private final MemorySegment btf;

    Btf(MemorySegment btf) {
        this.btf = btf;
    }

    /** The id of the type named {@code name} of {@code kind}, if there is one. */
    Optional<Integer> find(String name, int kind) {
        try (Arena tmp = Arena.ofConfined()) {
            int id = (int) Libbpf.BTF_FIND_BY_NAME_KIND.invokeExact(btf, tmp.allocateFrom(name), kind);
            return id > 0 ? Optional.of(id) : Optional.empty();
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    /** Type ids run from 1 to this, exclusive. */
    int typeCount() {
        try {
            return (int) Libbpf.BTF_TYPE_CNT.invokeExact(btf);
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    int kind(int id) {
        return (info(id) >>> 24) & 0x1f;
    }

    /** The size of a struct, union or DATASEC; the referenced type of a PTR, TYPEDEF or VAR. */
    int sizeOrType(int id) {
        return header(id, 0).get(JAVA_INT, 8);
    }

    String name(int id) {
        return string(header(id, 0).get(JAVA_INT, 0));
    }

    List<Member> members(int id) {
        int info = info(id);
        boolean bitfieldEncoding = (info >>> 31) != 0;
        MemorySegment entries = entries(id, MEMBER_BYTES);
        List<Member> members = new ArrayList<>();
        for (long at = 0; at < entries.byteSize(); at += MEMBER_BYTES) {
            int offset = entries.get(JAVA_INT, at + 8);
            members.add(new Member(string(entries.get(JAVA_INT, at)), entries.get(JAVA_INT, at + 4),
                    bitfieldEncoding ? offset & 0xffffff : Integer.toUnsignedLong(offset)));
        }
        return members;
    }

    /** The enumerator names of an ENUM or ENUM64. */
    List<String> enumerators(int id) {
        long entry = kind(id) == KIND_ENUM64 ? ENUM64_BYTES : ENUM_BYTES;
        MemorySegment entries = entries(id, entry);
        List<String> names = new ArrayList<>();
        for (long at = 0; at < entries.byteSize(); at += entry) {
            names.add(string(entries.get(JAVA_INT, at)));
        }
        return names;
    }

    /** The value of enumerator {@code name} of an ENUM or ENUM64, if it has one. */
    OptionalLong enumeratorValue(int id, String name) {
        boolean wide = kind(id) == KIND_ENUM64;
        long entry = wide ? ENUM64_BYTES : ENUM_BYTES;
        MemorySegment entries = entries(id, entry);
        for (long at = 0; at < entries.byteSize(); at += entry) {
            if (string(entries.get(JAVA_INT, at)).equals(name)) {
                long low = Integer.toUnsignedLong(entries.get(JAVA_INT, at + 4));
                return OptionalLong.of(wide ? low | (long) entries.get(JAVA_INT, at + 8) << 32 : low);
            }
        }
        return OptionalLong.empty();
    }

    /** The number of parameters of a FUNC_PROTO. */
    int parameterCount(int id) {
        return info(id) & 0xffff;
    }

    /** The variables of a DATASEC. */
    List<Variable> variables(int id) {
        MemorySegment entries = entries(id, VAR_SECINFO_BYTES);
        List<Variable> variables = new ArrayList<>();
        for (long at = 0; at < entries.byteSize(); at += VAR_SECINFO_BYTES) {
            variables.add(new Variable(name(entries.get(JAVA_INT, at)),
                    Integer.toUnsignedLong(entries.get(JAVA_INT, at + 4)),
                    Integer.toUnsignedLong(entries.get(JAVA_INT, at + 8))));
        }
        return variables;
    }

    private int info(int id) {
        return header(id, 0).get(JAVA_INT, 4);
    }

    private MemorySegment entries(int id, long entryBytes) {
        int vlen = header(id, 0).get(JAVA_INT, 4) & 0xffff;
        return header(id, entryBytes * vlen).asSlice(TYPE_BYTES);
    }

    private MemorySegment header(int id, long trailing) {
        try {
            MemorySegment type = (MemorySegment) Libbpf.BTF_TYPE_BY_ID.invokeExact(btf, id);
            if (type.equals(MemorySegment.NULL)) {
                throw new BpfException("BTF has no type " + id);
            }
            return type.reinterpret(TYPE_BYTES + trailing);
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    private String string(int offset) {
        try {
            MemorySegment s = (MemorySegment) Libbpf.BTF_NAME_BY_OFFSET.invokeExact(btf, offset);
            return s.equals(MemorySegment.NULL) ? "" : s.reinterpret(Integer.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }
}
