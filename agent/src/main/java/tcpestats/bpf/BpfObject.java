package tcpestats.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A BPF object file opened from memory and loaded into the kernel. Closing it unloads
 * its programs and maps; links made from its programs are closed first.
 */
public final class BpfObject implements AutoCloseable {
    /** bpf_object_open_opts as of libbpf 1.1 (80 bytes); only sz and object_name are set. */
    private static final long OPEN_OPTS_SIZE = 80;
    private static final long OPEN_OPTS_OBJECT_NAME = 8;

    // The ELF image must stay alive until bpf_object__close: libelf works on it in place.
    private final Arena arena;
    private final MemorySegment handle;
    private final String name;
    private final List<BpfLink> links = new ArrayList<>();
    private boolean closed;

    private BpfObject(Arena arena, MemorySegment handle, String name) {
        this.arena = arena;
        this.handle = handle;
        this.name = name;
    }

    /**
     * Opens an object from its ELF bytes. Needs no privileges: nothing reaches the kernel
     * before {@link #load()}.
     *
     * @param name the object name libbpf uses as prefix of internal maps (keep it short)
     */
    public static BpfObject open(byte[] elf, String name) {
        LibbpfLog.install();
        Arena arena = Arena.ofShared();
        try {
            MemorySegment image = arena.allocate(elf.length, 8);
            image.copyFrom(MemorySegment.ofArray(elf));
            MemorySegment opts = arena.allocate(OPEN_OPTS_SIZE, 8);
            opts.set(JAVA_LONG, 0, OPEN_OPTS_SIZE);
            opts.set(ADDRESS, OPEN_OPTS_OBJECT_NAME, arena.allocateFrom(name));
            MemorySegment errno = Libbpf.newErrnoCapture(arena);
            MemorySegment h = (MemorySegment) Libbpf.OBJECT_OPEN_MEM.invokeExact(errno, image, (long) elf.length, opts);
            if (h.equals(MemorySegment.NULL)) {
                throw BpfException.of("cannot open BPF object " + name, Libbpf.errno(errno));
            }
            return new BpfObject(arena, h, name);
        } catch (Throwable t) {
            arena.close();
            throw Libbpf.rethrow(t);
        }
    }

    public String name() {
        return name;
    }

    /** Creates the maps and verifies and loads the programs. */
    public void load() {
        checkOpen();
        try {
            int rc = (int) Libbpf.OBJECT_LOAD.invokeExact(handle);
            if (rc != 0) {
                throw BpfException.of("cannot load BPF object " + name
                        + " (the libbpf log above has the verifier's reason)", rc);
            }
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    public BpfProgram program(String programName) {
        checkOpen();
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment p = (MemorySegment) Libbpf.OBJECT_FIND_PROGRAM.invokeExact(handle, tmp.allocateFrom(programName));
            if (p.equals(MemorySegment.NULL)) {
                throw new BpfException("BPF object " + name + " has no program " + programName);
            }
            return new BpfProgram(this, p, programName);
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    public BpfMap map(String mapName) {
        checkOpen();
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment m = (MemorySegment) Libbpf.OBJECT_FIND_MAP.invokeExact(handle, tmp.allocateFrom(mapName));
            if (m.equals(MemorySegment.NULL)) {
                throw new BpfException("BPF object " + name + " has no map " + mapName);
            }
            return new BpfMap(this, m, mapName);
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    /**
     * Fails unless the object's BTF describes struct {@code cName} with exactly the
     * members, offsets and total size of {@code layout} (padding members excluded).
     * This keeps the C header and the Java decoder from drifting apart.
     */
    public void checkStructLayout(String cName, StructLayout layout) {
        checkOpen();
        List<String> problems = new ArrayList<>();
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment btf = (MemorySegment) Libbpf.OBJECT_BTF.invokeExact(handle);
            if (btf.equals(MemorySegment.NULL)) {
                throw new BpfException("BPF object " + name + " has no BTF (compile it with -g)");
            }
            int id = (int) Libbpf.BTF_FIND_BY_NAME_KIND.invokeExact(btf, tmp.allocateFrom(cName), 4 /* BTF_KIND_STRUCT */);
            if (id < 0) {
                throw new BpfException("BPF object " + name + " has no BTF for struct " + cName);
            }
            // struct btf_type { u32 name_off; u32 info; u32 size; } followed by vlen btf_member { name_off, type, offset }
            MemorySegment type = ((MemorySegment) Libbpf.BTF_TYPE_BY_ID.invokeExact(btf, id)).reinterpret(12);
            int info = type.get(JAVA_INT, 4);
            int vlen = info & 0xffff;
            boolean bitfieldEncoding = (info >>> 31) != 0;
            long cSize = Integer.toUnsignedLong(type.get(JAVA_INT, 8));
            if (cSize != layout.byteSize()) {
                problems.add("size is " + cSize + " in C, " + layout.byteSize() + " in Java");
            }
            MemorySegment members = ((MemorySegment) Libbpf.BTF_TYPE_BY_ID.invokeExact(btf, id))
                    .reinterpret(12 + 12L * vlen).asSlice(12);
            List<String> javaNames = new ArrayList<>();
            for (MemoryLayout element : layout.memberLayouts()) {
                element.name().filter(n -> !n.startsWith("pad")).ifPresent(javaNames::add);
            }
            List<String> cNames = new ArrayList<>();
            for (int i = 0; i < vlen; i++) {
                int nameOff = members.get(JAVA_INT, 12L * i);
                int offset = members.get(JAVA_INT, 12L * i + 8);
                long bitOffset = bitfieldEncoding ? (offset & 0xffffff) : Integer.toUnsignedLong(offset);
                String member = ((MemorySegment) Libbpf.BTF_NAME_BY_OFFSET.invokeExact(btf, nameOff))
                        .reinterpret(256).getString(0);
                if (member.startsWith("pad")) {
                    continue;
                }
                cNames.add(member);
                if (!javaNames.contains(member)) {
                    problems.add("member " + member + " is missing in Java");
                    continue;
                }
                long javaOffset = layout.byteOffset(MemoryLayout.PathElement.groupElement(member));
                if (javaOffset * 8 != bitOffset) {
                    problems.add("member " + member + " is at byte " + bitOffset / 8 + " in C, " + javaOffset + " in Java");
                }
            }
            for (String javaName : javaNames) {
                if (!cNames.contains(javaName)) {
                    problems.add("member " + javaName + " is missing in C");
                }
            }
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
        if (!problems.isEmpty()) {
            throw new BpfException("struct " + cName + " differs between the BPF object and the Java decoder: "
                    + String.join("; ", problems));
        }
    }

    MemorySegment handle() {
        checkOpen();
        return handle;
    }

    synchronized void track(BpfLink link) {
        links.add(link);
    }

    synchronized void untrack(BpfLink link) {
        links.remove(link);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("BPF object " + name + " is closed");
        }
    }

    /** Destroys every link still attached, then unloads programs and maps. */
    @Override
    public void close() {
        List<BpfLink> remaining;
        synchronized (this) {
            if (closed) {
                return;
            }
            remaining = new ArrayList<>(links);
        }
        for (int i = remaining.size() - 1; i >= 0; i--) {
            remaining.get(i).close();
        }
        synchronized (this) {
            closed = true;
        }
        try {
            Libbpf.OBJECT_CLOSE.invokeExact(handle);
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        } finally {
            arena.close();
        }
    }
}
