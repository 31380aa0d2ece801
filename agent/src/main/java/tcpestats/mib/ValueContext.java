package tcpestats.mib;

/**
 * What values need besides their row: how to turn CLOCK_MONOTONIC nanoseconds (the
 * kernel's bpf_ktime_get_ns and Java's System.nanoTime) into sysUpTime ticks and wall
 * time, and the host's TCP settings for the negotiated options.
 *
 * @param uptimeOriginNanos System.nanoTime() when sysUpTime was 0
 * @param wallMinusMonotonicMillis wall-clock milliseconds minus monotonic milliseconds
 */
public record ValueContext(long uptimeOriginNanos, long wallMinusMonotonicMillis, HostTcpSettings settings) {
    /** sysUpTime at a monotonic instant; 0 before the agent started (TimeStamp semantics). */
    public long timeStamp(long monotonicNanos) {
        return monotonicNanos <= uptimeOriginNanos ? 0 : (monotonicNanos - uptimeOriginNanos) / 10_000_000L;
    }

    public long wallMillis(long monotonicNanos) {
        return monotonicNanos / 1_000_000L + wallMinusMonotonicMillis;
    }

    /** The context right now. */
    public static ValueContext now(long uptimeOriginNanos, HostTcpSettings settings) {
        return new ValueContext(uptimeOriginNanos, System.currentTimeMillis() - System.nanoTime() / 1_000_000L,
                settings);
    }
}
