package tcpestats.config;

import tcpestats.collect.Control;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's configuration.
 *
 * @param vacm                 who may read and write what (communities, rouser/rwuser, group, access, view)
 * @param snapshotMaxAgeMillis a request is answered from a kernel snapshot at most this old
 * @param controls             the tcpEStatsControl scalars the configuration sets, with their start values
 * @param connTableLatency     start value of tcpEStatsConnTableLatency, seconds
 * @param eventBufferBytes     size of the kernel's lifecycle event ring buffer
 * @param targets              notification targets (trap2sink, informsink, trapsess)
 * @param notificationRateLimit at most this many notifications per second, all kinds together; the rest
 *                             are counted and logged
 * @param monitors             the monitor rules (DISMAN-EVENT-MIB threshold notifications)
 * @param monitorRateLimit     at most this many notifications per second from any one monitor rule
 * @param users                SNMPv3 users (createUser)
 * @param persistentDir        where snmpEngineID and snmpEngineBoots are kept across restarts
 */
public record AgentConfig(List<AgentAddress> addresses, Vacm vacm,
                          Optional<String> sysDescr, Optional<String> sysContact, Optional<String> sysName,
                          Optional<String> sysLocation, long snapshotMaxAgeMillis, Map<Control, Boolean> controls,
                          long connTableLatency, int eventBufferBytes, List<NotificationTarget> targets,
                          int notificationRateLimit, List<MonitorRule> monitors, int monitorRateLimit,
                          List<SnmpUser> users, Optional<Path> persistentDir) {
    public static final long DEFAULT_SNAPSHOT_MAX_AGE_MILLIS = 500;
    public static final int DEFAULT_EVENT_BUFFER_BYTES = 4 << 20;
    public static final int DEFAULT_NOTIFICATION_RATE_LIMIT = 50;
    public static final int DEFAULT_MONITOR_RATE_LIMIT = 10;

    public AgentConfig {
        addresses = List.copyOf(addresses);
        controls = Map.copyOf(controls);
        targets = List.copyOf(targets);
        monitors = List.copyOf(monitors);
        users = List.copyOf(users);
    }

    /** A control's start value: the configured one, else RFC 4898's DEFVAL. */
    public boolean control(Control control) {
        return controls.getOrDefault(control, Control.DEFAULT);
    }

    /** The controls that start on. */
    public EnumSet<Control> controlsOn() {
        EnumSet<Control> on = EnumSet.noneOf(Control.class);
        for (Control c : Control.values()) {
            if (control(c)) {
                on.add(c);
            }
        }
        return on;
    }
}
