package tcpestats.collect;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import tcpestats.bpf.BpfException;
import tcpestats.bpf.BpfIterator;
import tcpestats.bpf.BpfMap;
import tcpestats.bpf.BpfObject;
import tcpestats.bpf.RingBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Loads bpf/estats.bpf.o, attaches its programs and hands out what the kernel knows:
 * socket snapshots from the iter/tcp program (on demand) and lifecycle events from the
 * ring buffer (on a dedicated thread, to a listener).
 */
public final class KernelCollector implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(KernelCollector.class);
    public static final String OBJECT_RESOURCE = "/bpf/estats.bpf.o";
    /** Short: libbpf prefixes internal map names (.bss, .kconfig) with it, within 15 characters. */
    public static final String OBJECT_NAME = "estats";

    private final BpfObject object;
    private final BpfIterator iterator;
    private final RingBuffer ringBuffer;
    private final BpfMap eventsDropped;
    private final Thread eventThread;
    private final AtomicLong eventsConsumed = new AtomicLong();
    private volatile boolean running = true;

    private volatile Consumer<LifecycleEvent> listener = event -> { };

    private KernelCollector(BpfObject object, BpfIterator iterator) {
        this.object = object;
        this.iterator = iterator;
        this.eventsDropped = object.map("events_dropped");
        // samples are delivered on the polling thread, which starts after construction
        this.ringBuffer = new RingBuffer(object.map("events"), this::onEvent);
        this.eventThread = Thread.ofPlatform().name("estats-events").daemon(true).unstarted(this::pollEvents);
    }

    /** Reads the BPF object packaged with the agent. */
    public static byte[] packagedObject() {
        try (InputStream in = KernelCollector.class.getResourceAsStream(OBJECT_RESOURCE)) {
            if (in == null) {
                throw new BpfException("the agent was built without " + OBJECT_RESOURCE + "; rebuild it");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new BpfException("cannot read " + OBJECT_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** Opens the packaged object without loading it and checks the record layouts against its BTF. */
    public static BpfObject openChecked() {
        BpfObject obj = BpfObject.open(packagedObject(), OBJECT_NAME);
        try {
            obj.checkStructLayout("estats_sock_record", Records.SOCK_RECORD);
            obj.checkStructLayout("estats_event", Records.EVENT);
            return obj;
        } catch (RuntimeException e) {
            obj.close();
            throw e;
        }
    }

    /**
     * Loads and attaches everything. Lifecycle events wait in the ring buffer until
     * {@link #startEvents} names their consumer.
     */
    public static KernelCollector start(Path cgroupRoot) {
        BpfObject obj = openChecked();
        try {
            obj.load();
            obj.program("estats_set_state").attach();
            obj.program("estats_tcp_probe").attach();
            obj.program("estats_sockops").attachCgroup(cgroupRoot);
            BpfIterator iterator = obj.program("estats_dump").attachIterator();
            KernelCollector collector = new KernelCollector(obj, iterator);
            LOG.info("BPF programs attached (sockops on {})", cgroupRoot);
            return collector;
        } catch (RuntimeException e) {
            obj.close();
            throw e;
        }
    }

    /** Starts the event thread, which hands each lifecycle event to {@code consumer}. */
    public void startEvents(Consumer<LifecycleEvent> consumer) {
        this.listener = consumer;
        eventThread.start();
    }

    /** One iterator pass over every TCP socket of the network namespace. */
    public List<SocketRecord> snapshot() {
        return Records.decodeSockets(iterator.read());
    }

    /** Events the kernel could not put on the full ring buffer. */
    public long eventsDropped() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment value = arena.allocate(ValueLayout.JAVA_LONG);
            return eventsDropped.lookup(key, value) ? value.get(ValueLayout.JAVA_LONG, 0) : 0;
        }
    }

    public long eventsConsumed() {
        return eventsConsumed.get();
    }

    private void onEvent(MemorySegment sample) {
        eventsConsumed.incrementAndGet();
        listener.accept(Records.decodeEvent(sample));
    }

    private void pollEvents() {
        while (running) {
            try {
                ringBuffer.poll(200);
            } catch (RuntimeException e) {
                LOG.error("lifecycle events: {}", e.getMessage());
                return;
            }
        }
    }

    /** Stops the event thread, then detaches every program and unloads the object. */
    @Override
    public void close() {
        running = false;
        try {
            if (eventThread.isAlive()) {
                eventThread.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ringBuffer.close();
        object.close();
        LOG.info("BPF programs detached");
    }
}
