package tcpestats.collect;

/** A local endpoint in one network namespace, as the kernel counts handshakes for it. */
public record ListenEndpoint(long netnsCookie, Endpoint endpoint) {
}
