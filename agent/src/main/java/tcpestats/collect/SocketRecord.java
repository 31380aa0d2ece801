package tcpestats.collect;

/**
 * One TCP socket as the iterator saw it. Unsigned 32-bit kernel fields are widened to
 * long; 64-bit kernel counters are carried as they are (wrap past 2^63 is years away).
 * When {@code hasStats} is false (TIME_WAIT, request and listening sockets) only the
 * identity fields are meaningful.
 *
 * @param startNs   CLOCK_MONOTONIC start of the connection, or the agent's first sight of it
 * @param startKnown true when {@code startNs} is the real start (the connection began while the agent ran)
 * @param lastEventUs CLOCK_MONOTONIC time of the last segment sent or received (tp->tcp_mstamp)
 * @param dataOctetsIn payload octets of the data segments processed in ESTABLISHED since {@code startNs}
 * @param srttUs smoothed RTT in microseconds
 * @param sndSsthresh segments; {@code >= 0x7fffffff} means "infinite" (still in slow start)
 */
public record SocketRecord(
        long cookie, long inode, TcpState state, Endpoint local, Endpoint remote, boolean hasStats,
        long nowNs, long startNs, boolean startKnown, long lastEventUs,
        long bytesSent, long bytesRetrans, long bytesReceived, long dataOctetsIn,
        long segsOut, long dataSegsOut, long totalRetrans, long segsIn, long dataSegsIn,
        long mssCache, long srttUs, long rtoMs, long sndCwnd, long sndSsthresh) {

    /** The kernel's "no threshold yet" value of snd_ssthresh. */
    public static final long INFINITE_SSTHRESH = 0x7fffffffL;
}
