package tcpestats.mib;

/** MAX-ACCESS of a variable. */
public enum Access {
    READ_ONLY,
    READ_WRITE
}
