package tcpestats.mib;

/** Where Linux gets a variable's value. */
public enum Source {
    /** A field of tcp_sock/inet_connection_sock/sock, read by the iterator at query time. */
    KERNEL_FIELD("kernel field"),
    /** A per-socket accumulator updated in the kernel (SK_STORAGE) by a tracepoint, sockops or cgroup_skb. */
    KERNEL_ACCUMULATOR("kernel accumulator"),
    /** Computed by the agent from kernel values or its own state. */
    DERIVED("derived"),
    /** Kept by the agent (configuration, SNMP SET). */
    AGENT("agent"),
    /** Linux cannot provide it; the object is not served. */
    NOT_AVAILABLE("not available");

    private final String label;

    Source(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
