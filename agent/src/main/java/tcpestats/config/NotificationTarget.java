package tcpestats.config;

import java.net.InetAddress;

/**
 * Where notifications go: {@code trap2sink}, {@code informsink} or {@code trapsess}.
 *
 * @param version   2 for SNMPv2c, 3 for SNMPv3
 * @param inform    informs (acknowledged) instead of traps
 * @param community SNMPv2c community
 * @param user      SNMPv3 user, with its security level and keys
 */
public record NotificationTarget(InetAddress host, int port, int version, boolean inform, String community,
                                 V3User user) {
    /** An SNMPv3 user of a trapsess: level noAuthNoPriv, authNoPriv or authPriv. */
    public record V3User(String name, String level, String authProtocol, String authPassphrase,
                         String privProtocol, String privPassphrase) {
        @Override
        public String toString() {
            return name + " (" + level + ")"; // never the passphrases
        }
    }
}
