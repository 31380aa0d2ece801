package tcpestats.bpf;

import java.lang.foreign.MemorySegment;

/** An attachment of a program; closing it detaches the program. */
public final class BpfLink implements AutoCloseable {
    private final BpfObject object;
    private final MemorySegment handle;
    private final String programName;
    private boolean closed;

    BpfLink(BpfObject object, MemorySegment handle, String programName) {
        this.object = object;
        this.handle = handle;
        this.programName = programName;
    }

    public String programName() {
        return programName;
    }

    int fd() {
        try {
            return (int) Libbpf.LINK_FD.invokeExact(handle);
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        object.untrack(this);
        try {
            int ignored = (int) Libbpf.LINK_DESTROY.invokeExact(handle);
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }
}
