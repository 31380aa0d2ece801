package tcpestats.collect;

/** A connection reached ESTABLISHED or CLOSE (from the inet_sock_set_state tracepoint). */
public record LifecycleEvent(Kind kind, long cookie, long timeNs, TcpState oldState, TcpState newState,
                             Endpoint local, Endpoint remote) {
    public enum Kind { ESTABLISHED, CLOSED }
}
