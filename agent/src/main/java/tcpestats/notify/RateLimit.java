package tcpestats.notify;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A token bucket: at most {@code perSecond} a second with a burst of one second's worth.
 * What it refuses is counted and logged, at most once every 10 seconds.
 */
final class RateLimit {
    private static final Logger LOG = LogManager.getLogger(RateLimit.class);
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final String what;
    private final int perSecond;
    private double tokens;
    private long lastRefillNanos = System.nanoTime();
    private long suppressed;
    private long suppressedAtLastLog;
    private long lastLogNanos = System.nanoTime() - LOG_INTERVAL_NANOS;

    /** @param what names the limit in the log, e.g. "notification rate limit" */
    RateLimit(String what, int perSecond) {
        this.what = what;
        this.perSecond = perSecond;
        this.tokens = perSecond;
    }

    /** Takes a token; false (and counted) when the limit is reached. */
    synchronized boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(perSecond, tokens + (now - lastRefillNanos) * perSecond / 1e9);
        lastRefillNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        suppressed++;
        if (now - lastLogNanos >= LOG_INTERVAL_NANOS) {
            LOG.warn("{} ({}/s): {} notifications suppressed ({} since the agent started)", what, perSecond,
                    suppressed - suppressedAtLastLog, suppressed);
            suppressedAtLastLog = suppressed;
            lastLogNanos = now;
        }
        return false;
    }

    synchronized long suppressed() {
        return suppressed;
    }
}
