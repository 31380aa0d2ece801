package tcpestats.collect;

import java.util.Optional;
import java.util.Set;

/**
 * The tcpEStatsControl switches: each knows its MIB object (which is also its directive),
 * its arc, the bit the BPF programs test (enum estats_control in bpf/estats.h, checked at load) and
 * RFC 4898's DEFVAL.
 */
public enum Control {
    PATH("tcpEStatsControlPath", 1, "ESTATS_CTL_PATH", 1),
    STACK("tcpEStatsControlStack", 2, "ESTATS_CTL_STACK", 2),
    APP("tcpEStatsControlApp", 3, "ESTATS_CTL_APP", 4),
    /** The kernel does no work for the Tune table: its values are read from tcp_sock. */
    TUNE("tcpEStatsControlTune", 4, null, 0),
    NOTIFY("tcpEStatsControlNotify", 5, null, 0);

    /** RFC 4898's DEFVAL for every control. */
    public static final boolean DEFAULT = false;

    private final String mibName;
    private final int mibColumn;
    private final String kernelName;
    private final int kernelBit;

    Control(String mibName, int mibColumn, String kernelName, int kernelBit) {
        this.mibName = mibName;
        this.mibColumn = mibColumn;
        this.kernelName = kernelName;
        this.kernelBit = kernelBit;
    }

    /** The MIB object, e.g. tcpEStatsControlPath; the configuration directive has the same name. */
    public String mibName() {
        return mibName;
    }

    /** The object's arc under tcpEStatsControl (RFC 4898). */
    public int mibColumn() {
        return mibColumn;
    }

    /** The enumerator of estats_control in bpf/estats.h, or null when the kernel does nothing for it. */
    String kernelName() {
        return kernelName;
    }

    int kernelBit() {
        return kernelBit;
    }

    /** The control whose MIB object (or directive, in any case) is {@code name}. */
    public static Optional<Control> named(String name) {
        for (Control c : values()) {
            if (c.mibName.equalsIgnoreCase(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The control word the BPF programs read: the bits of the controls that are on. */
    static int kernelWord(Set<Control> on) {
        int word = 0;
        for (Control c : on) {
            word |= c.kernelBit;
        }
        return word;
    }
}
