package tcpestats.bpf;

/** A libbpf or bpf() failure, carrying libbpf's own description of the error. */
public class BpfException extends RuntimeException {
    private final int errno;

    public BpfException(String message) {
        this(message, 0);
    }

    public BpfException(String message, Throwable cause) {
        super(message, cause);
        this.errno = 0;
    }

    BpfException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** Builds "what: libbpf's message (errno N)". */
    static BpfException of(String what, int errno) {
        return new BpfException(what + ": " + Libbpf.strerror(errno) + " (errno " + Math.abs(errno) + ")",
                Math.abs(errno));
    }

    /** Whether the kernel refused for lack of privileges (EPERM). */
    public boolean permissionDenied() {
        return errno == Abi.get("EPERM");
    }

    /** The positive errno, 0 when not known. */
    public int errno() {
        return errno;
    }
}
