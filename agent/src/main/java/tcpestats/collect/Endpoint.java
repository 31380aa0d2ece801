package tcpestats.collect;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * One end of a connection: 4 octets for IPv4 (also v4-mapped IPv6), 16 for IPv6, none
 * for a dual-stack wildcard listener (any address of either family).
 */
public record Endpoint(byte[] address, int port) {
    public Endpoint {
        if (address.length != 4 && address.length != 16 && address.length != 0) {
            throw new IllegalArgumentException("address must have 4, 16 or 0 octets, not " + address.length);
        }
        address = address.clone();
    }

    /** Every address of both families (a dual-stack wildcard listener). */
    public static Endpoint anyFamily(int port) {
        return new Endpoint(new byte[0], port);
    }

    public boolean isIpv4() {
        return address.length == 4;
    }

    /** The wildcard address of its family, or of both. */
    public boolean isUnspecified() {
        for (byte b : address) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public byte[] address() {
        return address.clone();
    }

    /** The number of address octets (4, 16, or 0 for both families' wildcard). */
    public int addressLength() {
        return address.length;
    }

    /** Address octet {@code i}, unsigned, without copying the address (row indexes take them one by one). */
    public int octet(int i) {
        return Byte.toUnsignedInt(address[i]);
    }

    /** Compares without copying. */
    public boolean sameAs(Endpoint other) {
        return port == other.port && Arrays.equals(address, other.address);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && sameAs(e);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + port;
    }

    @Override
    public String toString() {
        if (address.length == 0) {
            return "*:" + port;
        }
        try {
            String host = InetAddress.getByAddress(address).getHostAddress();
            return (isIpv4() ? host : "[" + host + "]") + ":" + port;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
