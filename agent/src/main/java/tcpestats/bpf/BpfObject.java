package tcpestats.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A BPF object file opened from memory and loaded into the kernel. Closing it unloads
 * its programs and maps; links made from its programs are closed first.
 */
public final class BpfObject implements AutoCloseable {
    /** bpf_object_open_opts of the libbpf headers built against; only sz and object_name are set. */
    private static final long OPEN_OPTS_SIZE = Abi.get("bpf_object_open_opts.size");
    private static final long OPEN_OPTS_OBJECT_NAME = Abi.get("bpf_object_open_opts.object_name");

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
        Btf btf = btf();
        int id = btf.find(cName, Btf.KIND_STRUCT).orElseThrow(() ->
                new BpfException("BPF object " + name + " has no BTF for struct " + cName));
        List<String> problems = new ArrayList<>();
        if (Integer.toUnsignedLong(btf.sizeOrType(id)) != layout.byteSize()) {
            problems.add("size is " + Integer.toUnsignedLong(btf.sizeOrType(id)) + " in C, " + layout.byteSize()
                    + " in Java");
        }
        List<String> javaNames = new ArrayList<>();
        for (MemoryLayout element : layout.memberLayouts()) {
            element.name().filter(n -> !n.startsWith("pad")).ifPresent(javaNames::add);
        }
        List<String> cNames = new ArrayList<>();
        for (Btf.Member member : btf.members(id)) {
            if (member.name().startsWith("pad")) {
                continue;
            }
            cNames.add(member.name());
            if (!javaNames.contains(member.name())) {
                problems.add("member " + member.name() + " is missing in Java");
                continue;
            }
            long javaOffset = layout.byteOffset(MemoryLayout.PathElement.groupElement(member.name()));
            if (javaOffset * 8 != member.bitOffset()) {
                problems.add("member " + member.name() + " is at byte " + member.bitOffset() / 8 + " in C, "
                        + javaOffset + " in Java");
            }
        }
        for (String javaName : javaNames) {
            if (!cNames.contains(javaName)) {
                problems.add("member " + javaName + " is missing in C");
            }
        }
        if (!problems.isEmpty()) {
            throw new BpfException("struct " + cName + " differs between the BPF object and the Java decoder: "
                    + String.join("; ", problems));
        }
    }

    /**
     * Fails unless the object's BTF has enum {@code cName} with each of {@code expected}'s
     * enumerators at the value the Java side uses: the constants shared with the C side.
     */
    public void checkEnum(String cName, Map<String, Long> expected) {
        Btf btf = btf();
        int id = btf.find(cName, Btf.KIND_ENUM).or(() -> btf.find(cName, Btf.KIND_ENUM64)).orElseThrow(() ->
                new BpfException("BPF object " + name + " has no BTF for enum " + cName));
        List<String> problems = new ArrayList<>();
        expected.forEach((enumerator, value) -> {
            var c = btf.enumeratorValue(id, enumerator);
            if (c.isEmpty()) {
                problems.add(enumerator + " is missing in C");
            } else if (c.getAsLong() != value) {
                problems.add(enumerator + " is " + c.getAsLong() + " in C, " + value + " in Java");
            }
        });
        if (btf.enumerators(id).size() != expected.size()) {
            problems.add("C has " + btf.enumerators(id) + ", Java " + expected.keySet());
        }
        if (!problems.isEmpty()) {
            throw new BpfException("enum " + cName + " differs between the BPF object and the Java side: "
                    + String.join("; ", problems));
        }
    }

    /**
     * Sets a 32-bit global variable of the loaded object's .bss section (a C global
     * without initialiser), found by name in the object's BTF.
     */
    public void setGlobal(String variable, int value) {
        Btf btf = btf();
        int section = btf.find(".bss", Btf.KIND_DATASEC).orElseThrow(() ->
                new BpfException("BPF object " + name + " has no .bss section"));
        Btf.Variable v = btf.variables(section).stream().filter(x -> x.name().equals(variable)).findFirst()
                .orElseThrow(() -> new BpfException("BPF object " + name + " has no global " + variable));
        if (v.size() != Integer.BYTES) {
            throw new BpfException("global " + variable + " of " + name + " has " + v.size() + " bytes, not 4");
        }
        BpfMap bss = map(".bss");
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment key = tmp.allocate(JAVA_INT);
            MemorySegment data = tmp.allocate(bss.valueSize(), 8);
            if (!bss.lookup(key, data)) {
                throw new BpfException("BPF object " + name + " has no .bss data (is it loaded?)");
            }
            data.set(JAVA_INT, v.offset(), value);
            bss.update(key, data);
        }
    }

    private Btf btf() {
        checkOpen();
        try {
            MemorySegment btf = (MemorySegment) Libbpf.OBJECT_BTF.invokeExact(handle);
            if (btf.equals(MemorySegment.NULL)) {
                throw new BpfException("BPF object " + name + " has no BTF (compile it with -g)");
            }
            return new Btf(btf);
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
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
