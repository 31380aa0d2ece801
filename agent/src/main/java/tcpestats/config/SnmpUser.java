package tcpestats.config;

/**
 * An SNMPv3 USM user of a {@code createUser} directive.
 *
 * @param privProtocol AES (or AES-128), AES-192 or AES-256, or null for an authNoPriv-only user
 */
public record SnmpUser(String name, String authProtocol, String authPassphrase, String privProtocol,
                       String privPassphrase) {
    /** The placeholder passphrase of the shipped example configuration. */
    public static final String EXAMPLE_PASSPHRASE = "change-me-please";

    public boolean hasExamplePassphrase() {
        return EXAMPLE_PASSPHRASE.equals(authPassphrase) || EXAMPLE_PASSPHRASE.equals(privPassphrase);
    }

    @Override
    public String toString() {
        return name + " (" + authProtocol + (privProtocol == null ? "" : "/" + privProtocol) + ")"; // never the passphrases
    }
}
