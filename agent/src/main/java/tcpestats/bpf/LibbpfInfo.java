package tcpestats.bpf;

/** Facts about the libbpf the agent runs with. */
public final class LibbpfInfo {
    private LibbpfInfo() {
    }

    /** "major.minor" of the loaded libbpf.so.1. */
    public static String version() {
        return Libbpf.version();
    }
}
