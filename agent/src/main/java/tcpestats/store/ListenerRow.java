package tcpestats.store;

import tcpestats.collect.SocketRecord;

/**
 * A listening socket with the handshakes counted for its endpoint.
 *
 * @param initial     request sockets created (a SYN-ACK was sent)
 * @param established passive connections that completed the handshake
 * @param curConns    its established connections that the application has accepted
 */
public record ListenerRow(SocketRecord socket, long pid, long initial, long established, long curConns)
        implements StoreRow {
}
