package tcpestats.mib;

import tcpestats.store.EstatsControls;
import tcpestats.store.EstatsSnapshot;

import java.util.function.Supplier;

/**
 * How a scalar is read and, when it is writable, set: from and into the agent's controls,
 * or from a kernel snapshot (asked for only when the scalar needs one).
 */
public record ScalarValue(Read read, Write write) {
    @FunctionalInterface
    public interface Read {
        long read(EstatsControls controls, Supplier<EstatsSnapshot> snapshot, ValueContext context);
    }

    @FunctionalInterface
    public interface Write {
        void write(EstatsControls controls, long value);
    }

    /** Whether SET can change it. */
    public boolean writable() {
        return write != null;
    }
}
