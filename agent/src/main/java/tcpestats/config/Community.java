package tcpestats.config;

import org.snmp4j.smi.OID;

/**
 * A read-only community ({@code rocommunity NAME [SOURCE [OID]]}).
 *
 * @param source  allowed sources, or null for any ("default")
 * @param subtree the part of the MIB it may read (net-snmp's OID argument); the whole tree by default
 */
public record Community(String name, SourceNetwork source, OID subtree) {
}
