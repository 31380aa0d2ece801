package tcpestats.config;

import java.util.List;
import java.util.Optional;

/**
 * The agent's configuration.
 *
 * @param snapshotMaxAgeMillis a request is answered from a kernel snapshot at most this old
 */
public record AgentConfig(List<AgentAddress> addresses, List<Community> communities,
                          Optional<String> sysDescr, Optional<String> sysContact, Optional<String> sysName,
                          Optional<String> sysLocation, long snapshotMaxAgeMillis) {
    public static final long DEFAULT_SNAPSHOT_MAX_AGE_MILLIS = 500;

    public AgentConfig {
        addresses = List.copyOf(addresses);
        communities = List.copyOf(communities);
    }
}
