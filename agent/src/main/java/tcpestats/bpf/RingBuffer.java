package tcpestats.bpf;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Consumer of a BPF_MAP_TYPE_RINGBUF map. Samples are handed to the consumer on the
 * thread that calls {@link #consume}, one thread at a time; the segment is valid only
 * during the call.
 */
public final class RingBuffer implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(RingBuffer.class);

    /** Receives one sample; the segment is only valid during the call. */
    @FunctionalInterface
    public interface Consumer {
        void accept(MemorySegment sample);
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment handle;
    private final int epollFd;
    /** Where epoll_wait writes its one event (which says only that there is data). */
    private final MemorySegment readyEvent;
    private final MemorySegment errno;
    private final Consumer consumer;
    private final String name;
    private boolean closed;

    public RingBuffer(BpfMap map, Consumer consumer) {
        this.consumer = consumer;
        this.name = map.name();
        try {
            MethodHandle target = MethodHandles.lookup().findVirtual(RingBuffer.class, "onSample",
                    MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class, long.class)).bindTo(this);
            MemorySegment stub = Libbpf.LINKER.upcallStub(target,
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), arena);
            MemorySegment errno = Libbpf.newErrnoCapture(arena);
            MemorySegment rb = (MemorySegment) Libbpf.RING_BUFFER_NEW.invokeExact(errno, map.fd(), stub,
                    MemorySegment.NULL, MemorySegment.NULL);
            if (rb.equals(MemorySegment.NULL)) {
                throw BpfException.of("cannot open ring buffer " + name, Libbpf.errno(errno));
            }
            handle = rb;
            epollFd = (int) Libbpf.RING_BUFFER_EPOLL_FD.invokeExact(rb);
            readyEvent = arena.allocate(Libbpf.EPOLL_EVENT_BYTES, 8);
            this.errno = Libbpf.newErrnoCapture(arena);
        } catch (Throwable t) {
            arena.close();
            throw Libbpf.rethrow(t);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} until the kernel signals data, without consuming it (see
     * {@link #consume}); a producer that submits without wakeup signals nothing.
     *
     * @return whether it was signalled
     */
    public boolean await(int timeoutMillis) {
        try {
            int rc = (int) Libbpf.EPOLL_WAIT.invokeExact(errno, epollFd, readyEvent, 1, timeoutMillis);
            if (rc < 0 && Libbpf.errno(errno) != Libbpf.EINTR) {
                throw BpfException.of("wait for ring buffer " + name, -Libbpf.errno(errno));
            }
            return rc > 0;
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    /**
     * Consumes every sample available now, without waiting.
     *
     * @return the number of samples consumed
     */
    public int consume() {
        try {
            int rc = (int) Libbpf.RING_BUFFER_CONSUME.invokeExact(handle);
            if (rc < 0) {
                throw BpfException.of("read of ring buffer " + name, rc);
            }
            return rc;
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    private int onSample(MemorySegment ctx, MemorySegment data, long size) {
        try {
            consumer.accept(data.reinterpret(size));
        } catch (Throwable t) {
            // an exception escaping an upcall would terminate the JVM
            LOG.error("ring buffer {}: consumer failed: {}", name, t.toString());
        }
        return 0;
    }

    /** Frees the ring buffer; call only after the polling thread has stopped. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Libbpf.RING_BUFFER_FREE.invokeExact(handle);
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        } finally {
            arena.close();
        }
    }
}
