package tcpestats.config;

import org.snmp4j.smi.OID;

/**
 * {@code rouser|rwuser USER [noauth|auth|priv [OID]]}: what an SNMPv3 user may read (and write).
 *
 * @param level   the lowest security level accepted: noAuthNoPriv, authNoPriv or authPriv
 * @param subtree the part of the MIB the user may read, and write if {@code write}
 */
public record UserAccess(String user, String level, OID subtree, boolean write) {
}
