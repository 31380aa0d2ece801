package tcpestats.config;

import org.snmp4j.smi.OID;

/**
 * A community ({@code rocommunity|rwcommunity NAME [SOURCE [OID]]}).
 *
 * @param source  allowed sources, or null for any ("default")
 * @param subtree the part of the MIB it may read, and write if {@code write} (net-snmp's OID argument)
 */
public record Community(String name, SourceNetwork source, OID subtree, boolean write) {
}
