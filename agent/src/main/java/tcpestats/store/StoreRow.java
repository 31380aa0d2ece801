package tcpestats.store;

import tcpestats.collect.SocketRecord;

/** A row the SNMP tables serve: a connection or a listener. */
public sealed interface StoreRow permits ConnectionRow, ListenerRow {
    SocketRecord socket();

    /** Process holding the socket, 0 if none. */
    long pid();
}
