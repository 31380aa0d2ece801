package tcpestats.mib;

/** Where Linux gets a variable's value. */
public enum Source {
    /** A field of tcp_sock/inet_connection_sock/sock, read by the iterator at query time. */
    KERNEL_FIELD,
    /** A per-socket accumulator updated in the kernel (SK_STORAGE) by a tracepoint or sockops. */
    KERNEL_ACCUMULATOR,
    /** Computed by the agent from kernel values or its own state. */
    DERIVED,
    /** Linux cannot provide it; the object is not served. */
    NOT_AVAILABLE
}
