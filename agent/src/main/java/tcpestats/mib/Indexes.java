package tcpestats.mib;

import org.snmp4j.smi.OID;
import tcpestats.collect.Endpoint;
import tcpestats.store.ConnectionRow;
import tcpestats.store.StoreRow;

/** Row index encodings (RFC 4001 InetAddress indexes, RFC 4022 tcpConnectionEntry/tcpListenerEntry). */
public final class Indexes {
    /** InetAddressType values. */
    public static final int UNKNOWN = 0;
    public static final int IPV4 = 1;
    public static final int IPV6 = 2;

    private Indexes() {
    }

    public static OID of(IndexKind kind, StoreRow row) {
        return switch (kind) {
            case CONNECTION_TUPLE -> connection(row.socket().local(), row.socket().remote());
            case LISTENER -> listener(row.socket().local());
            case CONNECT_INDEX -> new OID(new int[]{(int) ((ConnectionRow) row).connectIndex()});
            case SCALAR -> throw new IllegalArgumentException("scalars have no row index");
        };
    }

    /** type.len.octets.port for the local end, then for the remote end. */
    public static OID connection(Endpoint local, Endpoint remote) {
        int[] sub = new int[6 + local.addressLength() + remote.addressLength()];
        appendEndpoint(sub, appendEndpoint(sub, 0, local), remote);
        return new OID(sub);
    }

    /** type.len.octets.port; a dual-stack wildcard listener is unknown(0) with no octets (RFC 4022). */
    public static OID listener(Endpoint local) {
        int[] sub = new int[3 + local.addressLength()];
        appendEndpoint(sub, 0, local);
        return new OID(sub);
    }

    private static int appendEndpoint(int[] sub, int i, Endpoint endpoint) {
        int length = endpoint.addressLength();
        sub[i++] = switch (length) {
            case 4 -> IPV4;
            case 16 -> IPV6;
            default -> UNKNOWN;
        };
        sub[i++] = length;
        for (int k = 0; k < length; k++) {
            sub[i++] = endpoint.octet(k);
        }
        sub[i++] = endpoint.port();
        return i;
    }
}
