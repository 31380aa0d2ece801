package tcpestats.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The writable tcpEStatsControl scalars: which optional tables have rows, whether
 * notifications are sent, how long closed connections stay visible. Listeners (the
 * kernel's control word, for one) hear every change.
 */
public final class EstatsControls {
    private volatile boolean path;
    private volatile boolean stack;
    private volatile boolean app;
    private volatile boolean tune;
    private volatile boolean notify;
    private volatile long connTableLatencySeconds;
    private final List<Consumer<EstatsControls>> listeners = new ArrayList<>();

    public EstatsControls(boolean path, boolean stack, boolean app, boolean tune, boolean notify,
                          long connTableLatencySeconds) {
        this.path = path;
        this.stack = stack;
        this.app = app;
        this.tune = tune;
        this.notify = notify;
        this.connTableLatencySeconds = connTableLatencySeconds;
    }

    public boolean path() {
        return path;
    }

    public boolean stack() {
        return stack;
    }

    public boolean app() {
        return app;
    }

    public boolean tune() {
        return tune;
    }

    public boolean notifications() {
        return notify;
    }

    public long connTableLatencySeconds() {
        return connTableLatencySeconds;
    }

    /** Whether the control scalar {@code name} (e.g. "tcpEStatsControlPath") is true. */
    public boolean enabled(String name) {
        return switch (name) {
            case "tcpEStatsControlPath" -> path;
            case "tcpEStatsControlStack" -> stack;
            case "tcpEStatsControlApp" -> app;
            case "tcpEStatsControlTune" -> tune;
            case "tcpEStatsControlNotify" -> notify;
            default -> throw new IllegalArgumentException("no control " + name);
        };
    }

    public synchronized void set(String name, boolean value) {
        switch (name) {
            case "tcpEStatsControlPath" -> path = value;
            case "tcpEStatsControlStack" -> stack = value;
            case "tcpEStatsControlApp" -> app = value;
            case "tcpEStatsControlTune" -> tune = value;
            case "tcpEStatsControlNotify" -> notify = value;
            default -> throw new IllegalArgumentException("no control " + name);
        }
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
