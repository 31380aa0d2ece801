package tcpestats.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A map of a {@link BpfObject}. */
public final class BpfMap {
    private static final int ENOENT = Abi.get("ENOENT");
    private final BpfObject object;
    private final MemorySegment handle;
    private final String name;

    BpfMap(BpfObject object, MemorySegment handle, String name) {
        this.object = object;
        this.handle = handle;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Sets the size before load (ring buffer bytes, hash entries). */
    public void setMaxEntries(int maxEntries) {
        try {
            int rc = (int) Libbpf.MAP_SET_MAX_ENTRIES.invokeExact(handle, maxEntries);
            if (rc != 0) {
                throw BpfException.of("cannot size map " + name + " to " + maxEntries, rc);
            }
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    /** Bytes of one value. */
    public long valueSize() {
        try {
            return Integer.toUnsignedLong((int) Libbpf.MAP_VALUE_SIZE.invokeExact(handle));
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    public int fd() {
        try {
            int fd = (int) Libbpf.MAP_FD.invokeExact(handle);
            if (fd < 0) {
                throw new BpfException("map " + name + " is not loaded");
            }
            return fd;
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    /** Copies the value for {@code key} into {@code value}; false when the key is absent. */
    public boolean lookup(MemorySegment key, MemorySegment value) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errno = Libbpf.newErrnoCapture(tmp);
            int rc = (int) Libbpf.MAP_LOOKUP_ELEM.invokeExact(errno, fd(), key, value);
            if (rc == 0) {
                return true;
            }
            int err = Libbpf.errno(errno);
            if (err == ENOENT) {
                return false;
            }
            throw BpfException.of("lookup in map " + name, err);
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    /** Writes {@code value} for {@code key} (BPF_ANY). */
    public void update(MemorySegment key, MemorySegment value) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errno = Libbpf.newErrnoCapture(tmp);
            int rc = (int) Libbpf.MAP_UPDATE_ELEM.invokeExact(errno, fd(), key, value, 0L);
            if (rc != 0) {
                throw BpfException.of("update of map " + name, Libbpf.errno(errno));
            }
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    /** Removes {@code key}; false when it was absent. */
    public boolean delete(MemorySegment key) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errno = Libbpf.newErrnoCapture(tmp);
            int rc = (int) Libbpf.MAP_DELETE_ELEM.invokeExact(errno, fd(), key);
            if (rc == 0) {
                return true;
            }
            int err = Libbpf.errno(errno);
            if (err == ENOENT) {
                return false;
            }
            throw BpfException.of("delete from map " + name, err);
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    /** Receives one entry; both segments are only valid during the call. */
    @FunctionalInterface
    public interface EntryConsumer {
        void accept(MemorySegment key, MemorySegment value);
    }

    /**
     * Visits every entry of a hash map (bpf_map_get_next_key, then a lookup). Entries
     * added or removed meanwhile may or may not be seen, as with any map walk.
     */
    public void forEach(long keySize, long valueSize, EntryConsumer consumer) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errno = Libbpf.newErrnoCapture(tmp);
            MemorySegment key = tmp.allocate(keySize, 8);
            MemorySegment next = tmp.allocate(keySize, 8);
            MemorySegment value = tmp.allocate(valueSize, 8);
            int fd = fd();
            MemorySegment previous = MemorySegment.NULL;
            while (true) {
                int rc = (int) Libbpf.MAP_GET_NEXT_KEY.invokeExact(errno, fd, previous, next);
                if (rc != 0) {
                    int err = Libbpf.errno(errno);
                    if (err == ENOENT /* no more keys */) {
                        return;
                    }
                    throw BpfException.of("walk of map " + name, err);
                }
                key.copyFrom(next);
                if (lookup(key, value)) {
                    consumer.accept(key, value);
                }
                previous = key;
            }
        } catch (Throwable t) {
            throw Libbpf.rethrow(t);
        }
    }

    BpfObject object() {
        return object;
    }
}
