package tcpestats.store;

import tcpestats.collect.Control;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The writable tcpEStatsControl scalars: which optional tables have rows, whether
 * notifications are sent, how long closed connections stay visible. Listeners (the
 * kernel's control word, for one) hear every change.
 */
public final class EstatsControls {
    private volatile EnumSet<Control> on;
    private volatile long connTableLatencySeconds;
    private final List<Consumer<EstatsControls>> listeners = new ArrayList<>();

    public EstatsControls(Set<Control> on, long connTableLatencySeconds) {
        this.on = EnumSet.noneOf(Control.class);
        this.on.addAll(on);
        this.connTableLatencySeconds = connTableLatencySeconds;
    }

    public boolean on(Control control) {
        return on.contains(control);
    }

    /** The controls that are on, as one set (a copy). */
    public Set<Control> on() {
        return EnumSet.copyOf(on);
    }

    public long connTableLatencySeconds() {
        return connTableLatencySeconds;
    }

    public synchronized void set(Control control, boolean value) {
        EnumSet<Control> next = EnumSet.copyOf(on);
        if (value) {
            next.add(control);
        } else {
            next.remove(control);
        }
        on = next;
        listeners.forEach(l -> l.accept(this));
    }

    public synchronized void setConnTableLatencySeconds(long seconds) {
        connTableLatencySeconds = seconds;
        listeners.forEach(l -> l.accept(this));
    }

    /** Calls {@code listener} now and after every change. */
    public synchronized void listen(Consumer<EstatsControls> listener) {
        listeners.add(listener);
        listener.accept(this);
    }
}
