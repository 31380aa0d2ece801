package tcpestats.config;

import java.net.InetAddress;

/**
 * The SOURCE of a community directive: requests are accepted only from addresses
 * whose first {@code prefixLength} bits equal {@code network}'s. {@code null} in a
 * {@link Vacm.CommunityMapping} means "default" (any source).
 */
public record SourceNetwork(InetAddress network, int prefixLength) {
    /** The mask as octets (4 or 16), for the SNMP-COMMUNITY-MIB transport mask. */
    public byte[] mask() {
        byte[] mask = new byte[network.getAddress().length];
        for (int bit = 0; bit < prefixLength; bit++) {
            mask[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        return mask;
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
