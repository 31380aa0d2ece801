package tcpestats.collect;

/**
 * A connection reached ESTABLISHED or CLOSE (from the sockops program, or the inet_sock_set_state
 * tracepoint for a connection sockops does not follow).
 *
 * @param record the connection's identity; for CLOSED also its final values
 */
public record LifecycleEvent(Kind kind, long timeNs, TcpState oldState, TcpState newState, SocketRecord record) {
    public enum Kind { ESTABLISHED, CLOSED }

    public long cookie() {
        return record.cookie();
    }

    public Endpoint local() {
        return record.local();
    }

    public Endpoint remote() {
        return record.remote();
    }
}
