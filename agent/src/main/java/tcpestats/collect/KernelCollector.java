package tcpestats.collect;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import tcpestats.bpf.BpfException;
import tcpestats.bpf.BpfIterator;
import tcpestats.bpf.BpfLink;
import tcpestats.bpf.BpfMap;
import tcpestats.bpf.BpfObject;
import tcpestats.bpf.NamespaceFile;
import tcpestats.bpf.RingBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
    /** The tracepoint program that follows the sockets sockops does not (those older than the agent). */
    static final String STATE_TRACEPOINT = "estats_set_state";
    /** tp_btf programs, attached by name. */
    public static final List<String> TRACEPOINT_PROGRAMS = List.of(STATE_TRACEPOINT, "estats_tcp_probe",
            "estats_cong_state", "estats_data_ready", "estats_send_length", "estats_kfree_skb");
    /** Programs attached to the cgroup v2 root, so they see every socket of the host. */
    public static final List<String> CGROUP_PROGRAMS = List.of("estats_sockops", "estats_ingress", "estats_egress");

    private final BpfObject object;
    private final KernelFeatures features;
    private final int hz;
    private final BpfIterator iterator;
    private final BpfIterator fileIterator;
    /** The agent's own network namespace, to return to after starting a pass in another one. */
    private final NamespaceFile home;
    /**
     * How long the event thread waits for the kernel's wakeup before it reads the ring buffer
     * anyway: the BPF side wakes it only once the buffer is a quarter full, so this bounds an
     * event's delay (a kernel pass reads them all first).
     */
    static final int EVENT_WAIT_MILLIS = 100;
    /** The one thread that enters other network namespaces; null without CAP_SYS_ADMIN. */
    private volatile ExecutorService namespaceThread;
    /**
     * Each socket's record at the last pass, by cookie: a pass keeps its field bytes and endpoints
     * where they are unchanged (most sockets are idle between passes). Passes run one at a time:
     * the store takes them under its lock.
     */
    private volatile Map<Long, SocketRecord> lastRecords = Map.of();
    /**
     * The field bytes of the last pass's sockets without a tcp_sock (TIME_WAIT and request
     * sockets), by content: theirs are zeros but for the namespace, so those of one namespace
     * share one array (a busy host holds thousands of TIME_WAIT sockets).
     */
    private volatile Map<ByteBuffer, byte[]> lastSharedFields = Map.of();
    /** The inode of the agent's network namespace, which {@link #iterator} covers completely. */
    private final long ownNetns;
    private final BpfIterator tuner;
    private final BpfMap tuneRequests;
    private final BpfMap spilledEvents;
    private final AtomicLong eventsRecovered = new AtomicLong();
    private final RingBuffer ringBuffer;
    private final BpfMap eventCounts;
    /** The spilled count at the last drain of the spill map. */
    private long spilledAtLastDrain;
    private final BpfMap controls;
    private final BpfMap listenCounts;
    private final BpfMap listenChanged;
    private final Thread eventThread;
    private final AtomicLong eventsConsumed = new AtomicLong();
    private volatile boolean running = true;
    /**
     * The inet_sock_set_state tracepoint's attachment, for the closes of sockets that sockops
     * does not follow; null once a pass found every socket followed (it never comes back: every
     * socket made since the start is).
     */
    private volatile BpfLink stateTracepoint;
    /** Skipped tracepoint runs at the last {@link #warnOfSkippedRuns}. */
    private Map<String, Long> skippedAtLastCheck = Map.of();

    private volatile Consumer<LifecycleEvent> listener = event -> { };
    /** Whether events have a consumer: until then they wait in the kernel. */
    private volatile boolean delivering;

    private KernelCollector(BpfObject object, BpfIterator iterator, BpfIterator fileIterator, BpfIterator tuner,
                            BpfLink stateTracepoint, KernelFeatures features, int hz, long ownNetns) {
        this.object = object;
        this.stateTracepoint = stateTracepoint;
        this.fileIterator = fileIterator;
        this.ownNetns = ownNetns;
        this.home = NamespaceFile.open(Path.of("/proc/self/ns/net"));
        this.namespaceThread = namespaceThread(home);
        this.features = features;
        this.hz = hz;
        this.iterator = iterator;
        this.tuner = tuner;
        this.tuneRequests = object.map("tune_requests");
        this.spilledEvents = object.map("spilled_events");
        this.eventCounts = object.map("event_counts");
        this.controls = object.map("controls");
        this.listenCounts = object.map("listen_counts");
        this.listenChanged = object.map("listen_changed");
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
            obj.checkStructLayout("estats_acc", Records.ACC);
            obj.checkStructLayout("estats_event", Records.EVENT);
            obj.checkStructLayout("estats_event_key", Records.EVENT_KEY);
            obj.checkStructLayout("estats_listen_key", Records.LISTEN_KEY);
            obj.checkStructLayout("estats_listen_counts", Records.LISTEN_COUNTS);
            obj.checkStructLayout("estats_tune_request", Records.TUNE_REQUEST);
            obj.checkStructLayout("estats_tune_result", Records.TUNE_RESULT);
            obj.checkStructLayout("estats_clock", Records.CLOCK);
            obj.checkStructLayout("estats_event_counts", Records.EVENT_COUNTS);
            Map<String, Long> controlBits = new HashMap<>();
            for (Control c : Control.values()) {
                if (c.kernelName() != null) {
                    controlBits.put(c.kernelName(), (long) c.kernelBit());
                }
            }
            obj.checkEnum("estats_control", controlBits);
            obj.checkEnum("estats_event_type", Map.of("ESTATS_EVENT_ESTABLISHED", Records.EVENT_ESTABLISHED,
                    "ESTATS_EVENT_CLOSED", Records.EVENT_CLOSED));
            return obj;
        } catch (RuntimeException e) {
            obj.close();
            throw e;
        }
    }

    /** The ring buffer's default size: about 7,000 events. */
    public static final int DEFAULT_EVENT_BUFFER_BYTES = 4 << 20;

    public static KernelCollector start(Path cgroupRoot) {
        return start(cgroupRoot, DEFAULT_EVENT_BUFFER_BYTES);
    }

    /**
     * Loads and attaches everything this kernel supports: a program whose
     * {@link KernelFeature} the kernel lacks is not loaded. Lifecycle events wait in the
     * ring buffer until {@link #startEvents} names their consumer.
     *
     * @param eventBufferBytes ring buffer size, a power of two of at least one page
     * @throws BpfException with one line saying why, when the kernel cannot run the agent
     */
    public static KernelCollector start(Path cgroupRoot, int eventBufferBytes) {
        KernelFeatures features = KernelFeatures.probe();
        features.requireSupported();
        BpfObject obj = openChecked();
        try {
            obj.map("events").setMaxEntries(eventBufferBytes);
            List<String> skipped = new ArrayList<>();
            for (KernelFeature missing : features.missing()) {
                if (missing.program() != null) {
                    obj.program(missing.program()).setAutoload(false);
                    skipped.add(missing.program() + " (needs " + missing.need() + ")");
                }
            }
            obj.load();
            int hz = measureHz(obj.program("estats_clock"));
            obj.setGlobal("kernel_hz", hz);
            long ownNetns = NetworkNamespaces.inodeOf(Path.of("/proc/self/ns/net"));
            obj.setGlobal("agent_netns", (int) ownNetns);
            if (features.has(KernelFeature.SOCK_OPS_CB_FLAGS_OPTION)) {
                obj.setGlobal("follow_existing", 1);
            }
            BpfLink stateTracepoint = null;
            for (String tracepoint : TRACEPOINT_PROGRAMS) {
                if (features.has(programFeature(tracepoint))) {
                    BpfLink link = obj.program(tracepoint).attach();
                    if (tracepoint.equals(STATE_TRACEPOINT)) {
                        stateTracepoint = link;
                    }
                }
            }
            for (String cgroupProgram : CGROUP_PROGRAMS) {
                obj.program(cgroupProgram).attachCgroup(cgroupRoot);
            }
            BpfIterator iterator = obj.program("estats_dump").attachIterator();
            BpfIterator fileIterator = obj.program("estats_dump_files").attachIterator();
            BpfIterator tuner = obj.program("estats_tune").attachIterator();
            KernelCollector collector = new KernelCollector(obj, iterator, fileIterator, tuner, stateTracepoint,
                    features, hz, ownNetns);
            // hands the sockets older than the agent to sockops where the kernel can (events wait)
            collector.pass(KernelPass.EVERY_NAMESPACE);
            LOG.info("BPF programs attached (sockops on {}; kernel tick rate {} Hz)", cgroupRoot, hz);
            if (!skipped.isEmpty()) {
                LOG.info("not loaded on this kernel: {}", String.join(", ", skipped));
            }
            return collector;
        } catch (RuntimeException e) {
            obj.close();
            throw e;
        }
    }

    /**
     * A thread that may enter other network namespaces, or null when the agent may not
     * (setns needs CAP_SYS_ADMIN): entering its own one is the test.
     */
    private static ExecutorService namespaceThread(NamespaceFile home) {
        ExecutorService thread = Executors.newSingleThreadExecutor(
                r -> Thread.ofPlatform().daemon().name("estats-netns").unstarted(r));
        try {
            thread.submit(home::enter).get();
            return thread;
        } catch (ExecutionException | InterruptedException e) {
            thread.shutdownNow();
            LOG.info("other network namespaces are listed through the sockets processes hold there "
                    + "(without CAP_SYS_ADMIN the agent cannot enter them to list every socket)");
            return null;
        }
    }

    /** The feature a program needs beyond the required ones, or null. */
    private static KernelFeature programFeature(String program) {
        for (KernelFeature f : KernelFeature.values()) {
            if (program.equals(f.program())) {
                return f;
            }
        }
        return null;
    }

    /** The tick rates Linux offers (CONFIG_HZ_100 ... CONFIG_HZ_1000). */
    private static final int[] TICK_RATES = {100, 250, 300, 1000};
    /**
     * How long the tick rate is measured: a tick that comes late (a busy or emulated
     * machine: one tick in 50 ms was measured under QEMU's TCG) then costs at most 2%.
     */
    private static final long HZ_MEASURE_NANOS = 200_000_000L;

    /**
     * The kernel's CONFIG_HZ, measured: jiffies counted over at least 200 ms of the kernel's
     * monotonic clock, from one tick to another, with both read by estats_clock in one run,
     * and taken as the nearest rate Linux offers. Nothing else tells it without
     * /boot/config-* or /proc/config.gz.
     */
    static int measureHz(tcpestats.bpf.BpfProgram clock) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ctx = arena.allocate(Records.CLOCK);
            long[] first = nextTick(clock, ctx);
            long[] last;
            do {
                last = nextTick(clock, ctx);
            } while (last[0] - first[0] < HZ_MEASURE_NANOS);
            double hz = (last[1] - first[1]) * 1e9 / (last[0] - first[0]);
            int nearest = TICK_RATES[0];
            for (int rate : TICK_RATES) {
                if (Math.abs(Math.log(hz / rate)) < Math.abs(Math.log(hz / nearest))) {
                    nearest = rate;
                }
            }
            if (Math.abs(hz - nearest) > nearest * 0.05) {
                LOG.warn("the kernel's tick rate measured {} Hz; taking the nearest CONFIG_HZ, {}",
                        String.format("%.1f", hz), nearest);
            }
            return nearest;
        }
    }

    /** {ktime_ns, jiffies} just after jiffies next changes. */
    private static long[] nextTick(tcpestats.bpf.BpfProgram clock, MemorySegment ctx) {
        clock.run(ctx);
        long start = ctx.get(ValueLayout.JAVA_LONG, 8);
        do {
            clock.run(ctx);
        } while (ctx.get(ValueLayout.JAVA_LONG, 8) == start);
        return new long[]{ctx.get(ValueLayout.JAVA_LONG, 0), ctx.get(ValueLayout.JAVA_LONG, 8)};
    }

    /** What the running kernel provides. */
    public KernelFeatures features() {
        return features;
    }

    /**
     * Adds the sockets of namespace {@code ns}, listed by iter/tcp started inside it; false if
     * it could not be entered (it went meanwhile).
     */
    private boolean passInside(NetworkNamespaces.Namespace ns, List<SocketRecord> sockets, Decoded decoded) {
        return readInside(ns, iterator, Records.SOCK_RECORD.byteSize(), r -> sockets.add(decode(r, decoded)));
    }

    /** What a pass decoded: the records by cookie and the shared field bytes (the next pass's "last"). */
    private record Decoded(Map<Long, SocketRecord> records, Map<ByteBuffer, byte[]> sharedFields) {
    }

    /**
     * A socket's record, holding the last pass's field bytes and endpoints of it where they are
     * unchanged, and for a socket without a tcp_sock the field bytes its equals share.
     */
    private SocketRecord decode(MemorySegment r, Decoded decoded) {
        long cookie = Records.cookieOf(r);
        SocketRecord record = Records.decodeSocket(r, lastRecords.get(cookie));
        if (!record.hasStats() && record.state() != TcpState.LISTEN) {
            byte[] own = record.fields();
            byte[] shared = decoded.sharedFields().computeIfAbsent(ByteBuffer.wrap(own),
                    bytes -> lastSharedFields.getOrDefault(bytes, own));
            if (shared != own) {
                record = new SocketRecord(record.cookie(), record.inode(), record.state(), record.local(),
                        record.remote(), false, record.caState(), record.nowNs(), shared);
            }
        }
        decoded.records().put(cookie, record);
        return record;
    }

    /**
     * One pass of {@code it} started inside namespace {@code ns}, on the thread that enters
     * namespaces, its records handed to {@code sink} there; false if there is no such thread
     * or the namespace could not be entered.
     */
    private boolean readInside(NetworkNamespaces.Namespace ns, BpfIterator it, long recordSize,
                               Consumer<MemorySegment> sink) {
        ExecutorService thread = namespaceThread;
        if (thread == null) {
            return false;
        }
        try {
            thread.submit(() -> {
                try (NamespaceFile file = NamespaceFile.open(ns.file())) {
                    it.readIn(file, home, recordSize, sink);
                }
                return null;
            }).get();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalStateException stuck) {
                // the thread is in another namespace now: never use it again
                LOG.error("{}; other network namespaces are listed through processes' sockets from now on",
                        stuck.getMessage());
                thread.shutdownNow();
                namespaceThread = null;
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Whether other network namespaces are listed whole (the agent may enter them: CAP_SYS_ADMIN). */
    public boolean listsOtherNamespacesWhole() {
        return namespaceThread != null;
    }

    /** The inode of the agent's own network namespace. */
    public long ownNetns() {
        return ownNetns;
    }

    /** The kernel's tick rate (CONFIG_HZ) as measured at start. */
    public int hz() {
        return hz;
    }

    /**
     * Starts the event thread, which hands each lifecycle event to {@code consumer}, in order and
     * one at a time; a pass hands over those sent before it ends, on its own thread.
     */
    public void startEvents(Consumer<LifecycleEvent> consumer) {
        this.listener = consumer;
        delivering = true;
        eventThread.start();
    }

    /** {@link #pass} of every network namespace. */
    public KernelPass snapshot() {
        return pass(KernelPass.EVERY_NAMESPACE);
    }

    /**
     * One pass over the TCP sockets: every one of the agent's network namespace (iter/tcp);
     * with CAP_SYS_ADMIN every one of namespace {@code whole} too, or of each other namespace
     * for {@link KernelPass#EVERY_NAMESPACE} (iter/tcp started inside it: each such pass
     * walks the host's whole established hash, so a request in one context enters only its
     * namespace); of the rest, the sockets a process holds (iter/task_file). Each socket
     * once, however many descriptors hold it. With the listener counters.
     */
    public KernelPass pass(long whole) {
        List<SocketRecord> sockets = new ArrayList<>();
        Decoded decoded = new Decoded(new HashMap<>(lastRecords.size() * 4 / 3 + 16), new HashMap<>());
        iterator.read(Records.SOCK_RECORD.byteSize(), r -> sockets.add(decode(r, decoded)));
        Set<Long> complete = new HashSet<>(Set.of(ownNetns));
        boolean everyNamespaceWhole = whole == KernelPass.EVERY_NAMESPACE && namespaceThread != null;
        if (namespaceThread != null && whole != ownNetns) {
            Collection<NetworkNamespaces.Namespace> enter = whole == KernelPass.EVERY_NAMESPACE
                    ? NetworkNamespaces.host().list().values()
                    : NetworkNamespaces.host().find(whole).stream().toList();
            for (NetworkNamespaces.Namespace ns : enter) {
                if (ns.inode() != ownNetns) {
                    if (passInside(ns, sockets, decoded)) {
                        complete.add(ns.inode());
                    } else {
                        everyNamespaceWhole = false;
                    }
                }
            }
        }
        if (everyNamespaceWhole && stateTracepoint != null) {
            detachStateTracepointIfUnneeded(sockets);
        }
        Set<Long> cookies = new HashSet<>();
        sockets.forEach(s -> cookies.add(s.cookie()));
        // every descriptor of every process: decoded only when its namespace was not listed whole
        fileIterator.read(Records.SOCK_RECORD.byteSize(), r -> {
            if (!complete.contains(Records.netnsOf(r)) && cookies.add(Records.cookieOf(r))) {
                sockets.add(decode(r, decoded));
            }
        });
        if (delivering) {
            // a socket this pass did not find may have closed while it ran: its close reaches the
            // consumer before the pass does
            deliverEvents();
        }
        lastRecords = decoded.records();
        lastSharedFields = decoded.sharedFields();
        Map<ListenEndpoint, long[]> counts = new HashMap<>();
        listenCounts.forEach(Records.LISTEN_KEY.byteSize(), Records.LISTEN_COUNTS.byteSize(), (key, value) ->
                counts.merge(Records.decodeListenKey(key),
                        new long[]{value.get(ValueLayout.JAVA_LONG, 0), value.get(ValueLayout.JAVA_LONG, 8)},
                        (a, b) -> new long[]{a[0] + b[0], a[1] + b[1]}));
        return new KernelPass(sockets, counts, readU64(listenChanged), complete);
    }

    /**
     * Detaches the state tracepoint when a pass of every socket of the host found each listener
     * and connection followed by sockops' state callback: from then on it would only cost a
     * run per state change, and the kernel skips it when it is already running on the CPU.
     */
    private void detachStateTracepointIfUnneeded(List<SocketRecord> sockets) {
        for (SocketRecord s : sockets) {
            if ((s.hasStats() || s.state() == TcpState.LISTEN) && s.state() != TcpState.CLOSE
                    && s.get(Field.FOLLOWED) == 0) {
                return;
            }
        }
        stateTracepoint.close();
        stateTracepoint = null;
        LOG.info("every TCP socket is followed by the sockops program's state callback: "
                + "the inet_sock_set_state tracepoint is detached");
    }

    /** Whether the inet_sock_set_state tracepoint is attached (see {@link #pass}). */
    public boolean stateTracepointAttached() {
        return stateTracepoint != null;
    }

    /**
     * What bpf_setsockopt returned for a Tune SET: 0 applied, else -errno.
     *
     * @param found false when the socket no longer exists
     */
    public record TuneResult(boolean found, int cwndRc, int windowRc) {
    }

    /**
     * Applies limits to a live socket from the kernel side (TCP_BPF_SNDCWND_CLAMP,
     * TCP_WINDOW_CLAMP through bpf_setsockopt, from the estats_tune iterator, which runs
     * in the socket's network namespace); 0 leaves a limit as it is.
     */
    public synchronized TuneResult applyTune(long netns, long cookie, long cwndClampSegments, long windowClamp) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(ValueLayout.JAVA_LONG);
            key.set(ValueLayout.JAVA_LONG, 0, cookie);
            MemorySegment request = arena.allocate(Records.TUNE_REQUEST);
            request.set(ValueLayout.JAVA_INT, Records.offset(Records.TUNE_REQUEST, "cwnd_clamp"), (int) cwndClampSegments);
            request.set(ValueLayout.JAVA_INT, Records.offset(Records.TUNE_REQUEST, "window_clamp"), (int) windowClamp);
            tuneRequests.update(key, request);
            long size = Records.TUNE_RESULT.byteSize();
            TuneResult[] applied = {null};
            Consumer<MemorySegment> result = r -> {
                if (r.get(ValueLayout.JAVA_LONG_UNALIGNED, Records.offset(Records.TUNE_RESULT, "cookie")) == cookie) {
                    applied[0] = new TuneResult(true,
                            r.get(ValueLayout.JAVA_INT_UNALIGNED, Records.offset(Records.TUNE_RESULT, "cwnd_rc")),
                            r.get(ValueLayout.JAVA_INT_UNALIGNED, Records.offset(Records.TUNE_RESULT, "window_rc")));
                }
            };
            if (netns == ownNetns) {
                tuner.read(size, result);
            } else {
                NetworkNamespaces.host().find(netns).ifPresent(ns -> readInside(ns, tuner, size, result));
            }
            if (applied[0] != null) {
                return applied[0];
            }
            tuneRequests.delete(key); // the socket is gone: nothing will apply it
            return new TuneResult(false, 0, 0);
        }
    }

    /** Tells the programs which controls are on: they skip the work of the tables that are off. */
    public void setControls(Set<Control> on) {
        int bits = Control.kernelWord(on);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            value.set(ValueLayout.JAVA_INT, 0, bits);
            controls.update(key, value);
        }
    }

    /** Entry 0 of an array map of one u64. */
    private static long readU64(BpfMap array) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment value = arena.allocate(ValueLayout.JAVA_LONG);
            return array.lookup(key, value) ? value.get(ValueLayout.JAVA_LONG, 0) : 0;
        }
    }

    /** A member of the event_counts map's one struct estats_event_counts. */
    private long eventCount(String member) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment value = arena.allocate(Records.EVENT_COUNTS);
            return eventCounts.lookup(key, value)
                    ? value.get(ValueLayout.JAVA_LONG, Records.offset(Records.EVENT_COUNTS, member)) : 0;
        }
    }

    /** Events the kernel could not put on the full ring buffer. */
    public long eventsDropped() {
        return eventCount("lost");
    }

    public long eventsConsumed() {
        return eventsConsumed.get();
    }

    /**
     * Runs of each tracepoint program the kernel skipped since it was loaded, because the
     * program was already running on that CPU (see {@link tcpestats.bpf.BpfProgram#recursionMisses}).
     */
    public Map<String, Long> tracepointRunsSkipped() {
        Map<String, Long> skipped = new LinkedHashMap<>();
        for (String name : TRACEPOINT_PROGRAMS) {
            if (features.has(programFeature(name))) {
                skipped.put(name, object.program(name).recursionMisses());
            }
        }
        return skipped;
    }

    /**
     * Warns when the kernel skipped tracepoint runs since the last call: each may have missed
     * one event of what that program counts.
     */
    public void warnOfSkippedRuns() {
        Map<String, Long> skipped = tracepointRunsSkipped();
        Map<String, Long> grown = new LinkedHashMap<>();
        skipped.forEach((name, count) -> {
            long before = skippedAtLastCheck.getOrDefault(name, 0L);
            if (count > before) {
                grown.put(name, count - before);
            }
        });
        skippedAtLastCheck = skipped;
        if (!grown.isEmpty()) {
            LOG.warn("the kernel skipped runs of tracepoint programs already running on the same CPU: {}; "
                    + "each may have missed one event of what it counts (README: Limits)", grown);
        }
    }

    /** Events that found the ring buffer full and were recovered from the spill map. */
    public long eventsRecovered() {
        return eventsRecovered.get();
    }

    /**
     * Delivers the events the kernel spilled while the ring buffer was full, closes
     * before establishes of the same socket last, and removes them from the map.
     */
    private void drainSpilled() {
        List<LifecycleEvent> spilled = new java.util.ArrayList<>();
        List<MemorySegment> keys = new java.util.ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            spilledEvents.forEach(Records.EVENT_KEY.byteSize(), Records.EVENT.byteSize(), (key, value) -> {
                spilled.add(Records.decodeEvent(value));
                keys.add(arena.allocate(Records.EVENT_KEY.byteSize(), 8).copyFrom(key));
            });
            keys.forEach(spilledEvents::delete);
        }
        if (spilled.isEmpty()) {
            return;
        }
        spilled.sort(java.util.Comparator.comparingLong(LifecycleEvent::timeNs));
        spilled.forEach(listener);
        long total = eventsRecovered.addAndGet(spilled.size());
        LOG.info("ring buffer was full: recovered {} events from the spill map ({} in all, {} lost)", spilled.size(),
                total, eventsDropped());
    }

    /**
     * Inside libbpf's callback (a native upcall, where a Java exception cannot go): only copies
     * the event out of the ring buffer; the event thread hands it on once the poll returns.
     */
    private void onEvent(MemorySegment sample) {
        eventsConsumed.incrementAndGet();
        polled.add(Records.decodeEvent(sample));
    }

    /** Events of the last poll, in ring-buffer order; touched by the event thread only. */
    private final List<LifecycleEvent> polled = new java.util.ArrayList<>();

    private void deliverPolled() {
        for (LifecycleEvent event : polled) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                // a bug of ours: say it whole, and go on with the other events
                LOG.error("lifecycle event of socket {} not handled", event.cookie(), e);
            }
        }
        polled.clear();
    }

    private void pollEvents() {
        while (running) {
            try {
                ringBuffer.await(EVENT_WAIT_MILLIS);
                deliverEvents();
            } catch (RuntimeException e) {
                LOG.error("lifecycle events: {}", e.getMessage());
                return;
            }
        }
    }

    /**
     * Hands every event the kernel has sent so far to the consumer, from the ring buffer and the
     * spill map: on the event thread, and at the end of each pass, so that a pass never finds a
     * socket gone whose close is still waiting.
     */
    private void deliverEvents() {
        synchronized (polled) {
            ringBuffer.consume();
            deliverPolled();
            long spilled = eventCount("spilled");
            if (spilled != spilledAtLastDrain) {
                // the counter grows after the map update: whatever it counts is in the map
                spilledAtLastDrain = spilled;
                drainSpilled();
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
        ExecutorService thread = namespaceThread;
        if (thread != null) {
            thread.shutdownNow();
        }
        home.close();
        object.close();
        LOG.info("BPF programs detached");
    }
}
