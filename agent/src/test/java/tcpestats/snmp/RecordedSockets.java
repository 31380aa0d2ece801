package tcpestats.snmp;

import tcpestats.collect.Endpoint;
import tcpestats.collect.Field;
import tcpestats.collect.SocketRecord;
import tcpestats.collect.TcpState;

/** Sockets as a kernel pass records them, for the tables' tests that replay passes. */
final class RecordedSockets {
    private RecordedSockets() {
    }

    /**
     * Connection {@code cookie} with counters derived from it: ESTABLISHED with statistics, or
     * in TIME_WAIT without them (in tcpConnectionTable only).
     */
    static SocketRecord connection(long cookie, Endpoint local, Endpoint remote, boolean timeWait) {
        SocketRecord r = SocketRecord.established(cookie, local, remote)
                .with(Field.NETNS, 0).with(Field.SEGS_OUT, cookie * 7).with(Field.BYTES_ACKED, cookie << 33);
        return timeWait
                ? new SocketRecord(cookie, 0, TcpState.TIME_WAIT, local, remote, false, 0, 0, r.fields())
                : new SocketRecord(cookie, 100 + cookie, TcpState.ESTABLISHED, local, remote, true, 0, 0, r.fields());
    }
}
