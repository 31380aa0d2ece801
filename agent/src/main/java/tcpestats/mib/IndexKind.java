package tcpestats.mib;

/** How the rows of a table are indexed. */
public enum IndexKind {
    /**
     * tcpConnectionEntry's index: local InetAddressType, InetAddress (length-prefixed),
     * port, then the same for the remote end.
     */
    CONNECTION_TUPLE,
    /** tcpListenerEntry's index: local InetAddressType, InetAddress, port. */
    LISTENER,
    /** tcpEStatsConnectIndex. */
    CONNECT_INDEX,
    /** Scalars: instance .0. */
    SCALAR
}
