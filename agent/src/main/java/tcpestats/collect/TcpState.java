package tcpestats.collect;

/**
 * Kernel TCP states (include/net/tcp_states.h) with their TCP-MIB tcpConnectionState
 * values.
 */
public enum TcpState {
    ESTABLISHED(1, 5),
    SYN_SENT(2, 3),
    SYN_RECV(3, 4),
    FIN_WAIT1(4, 6),
    FIN_WAIT2(5, 7),
    TIME_WAIT(6, 11),
    CLOSE(7, 1),
    CLOSE_WAIT(8, 8),
    LAST_ACK(9, 9),
    LISTEN(10, 2),
    CLOSING(11, 10),
    /** A request socket of a listener (the handshake is not complete yet). */
    NEW_SYN_RECV(12, 4),
    BOUND_INACTIVE(13, 1);

    private static final TcpState[] BY_KERNEL_VALUE =
            new TcpState[java.util.Arrays.stream(values()).mapToInt(s -> s.kernel).max().orElseThrow() + 1];

    static {
        for (TcpState s : values()) {
            BY_KERNEL_VALUE[s.kernel] = s;
        }
    }

    private final int kernel;
    private final int tcpMib;

    TcpState(int kernel, int tcpMib) {
        this.kernel = kernel;
        this.tcpMib = tcpMib;
    }

    /** tcpConnectionState: closed(1) listen(2) synSent(3) synReceived(4) established(5) ... timeWait(11). */
    public int tcpMibValue() {
        return tcpMib;
    }

    public static TcpState fromKernel(int value) {
        TcpState s = value >= 0 && value < BY_KERNEL_VALUE.length ? BY_KERNEL_VALUE[value] : null;
        if (s == null) {
            throw new IllegalArgumentException("unknown kernel TCP state " + value);
        }
        return s;
    }
}
