package tcpestats.support;

import java.time.Duration;
import java.util.concurrent.Callable;

/** The one way tests wait for something to happen: poll until it has, or a deadline passes. */
public final class Await {
    private static final long POLL_MILLIS = 100;

    private Await() {
    }

    /** What a wait checks: null once satisfied, else what was seen (for the failure message). */
    @FunctionalInterface
    public interface Check {
        String failure() throws Exception;
    }

    /** Waits until {@code check} is satisfied; fails with {@code what} and the last thing seen if it is not in time. */
    public static void until(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = check.failure();
        while (last != null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " (not within " + timeout.toSeconds() + " s): " + last);
            }
            Thread.sleep(POLL_MILLIS);
            last = check.failure();
        }
    }

    /** Waits until {@code done} holds; fails with {@code what} if it does not in time. */
    public static void untilTrue(String what, Duration timeout, Callable<Boolean> done) throws Exception {
        until(what, timeout, () -> done.call() ? null : "not yet");
    }

    /**
     * Waits until {@code done} holds or the timeout passes, without failing: the caller's
     * assertions then say what is wrong, with their own message.
     */
    public static void upTo(Duration timeout, Callable<Boolean> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.call() && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
        }
    }
}
