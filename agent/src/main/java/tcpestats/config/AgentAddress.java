package tcpestats.config;

import java.net.InetAddress;

/** One listening address from {@code agentAddress}: UDP over IPv4 or IPv6. */
public record AgentAddress(InetAddress host, int port) {
    @Override
    public String toString() {
        return (host instanceof java.net.Inet6Address ? "udp6:[" + host.getHostAddress() + "]" : "udp:" + host.getHostAddress())
                + ":" + port;
    }
}
