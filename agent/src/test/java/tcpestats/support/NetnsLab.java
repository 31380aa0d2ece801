package tcpestats.support;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A peer host for kernel tests: a network namespace joined to this one by a veth pair,
 * with its own addresses (198.18.N.1 here, 198.18.N.2 there; RFC 2544's benchmark
 * range). The agent sees only this namespace's sockets, so tests look at the local end.
 * Loss, marks and reordering are injected with nftables and HTB, never netem. Closing
 * removes the namespace, the veth pair, the nftables table and any peer processes.
 */
public final class NetnsLab implements AutoCloseable {
    public final String namespace;
    public final String hostDev;
    public final String peerDev;
    public final InetAddress hostAddress;
    public final InetAddress peerAddress;
    private final String subnet;
    private final String nftTable;
    private boolean hostNft;
    private final List<Process> peers = new ArrayList<>();

    private NetnsLab(String id, int octet) throws IOException {
        namespace = "estats-" + id;
        hostDev = "es" + id + "h";
        peerDev = "es" + id + "p";
        nftTable = "estats_lab_" + id;
        subnet = "198.18." + octet + ".0/30";
        hostAddress = InetAddress.getByName("198.18." + octet + ".1");
        peerAddress = InetAddress.getByName("198.18." + octet + ".2");
    }

    /**
     * Creates the namespace and link.
     *
     * @param routeOptions extra options of the route to the peer, e.g. "congctl cubic" or "features ecn"
     */
    public static NetnsLab create(String routeOptions) throws Exception {
        String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
        NetnsLab lab = new NetnsLab(id, ThreadLocalRandom.current().nextInt(1, 250));
        try {
            lab.sh("ip netns add " + lab.namespace);
            lab.sh("ip link add " + lab.hostDev + " type veth peer name " + lab.peerDev);
            // one segment per packet on both ends, as on a wire: loss, marks and delays hit
            // single segments, not 64 KB GSO bursts
            lab.sh("ip link set dev " + lab.hostDev + " gso_max_segs 1");
            lab.sh("ip link set dev " + lab.peerDev + " gso_max_segs 1");
            lab.sh("ip link set " + lab.peerDev + " netns " + lab.namespace);
            lab.sh("ip addr add " + lab.hostAddress.getHostAddress() + "/30 dev " + lab.hostDev);
            lab.sh("ip link set " + lab.hostDev + " up");
            lab.inPeer("ip addr add " + lab.peerAddress.getHostAddress() + "/30 dev " + lab.peerDev);
            lab.inPeer("ip link set " + lab.peerDev + " up");
            lab.inPeer("ip link set lo up");
            lab.sh("ip route replace " + lab.subnet + " dev " + lab.hostDev + " " + routeOptions);
            return lab;
        } catch (Exception e) {
            lab.close();
            throw e;
        }
    }

    /** Runs a shell command in this namespace; fails on a non-zero exit. */
    public String sh(String command) throws IOException, InterruptedException {
        Processes.Result r = Processes.run(List.of("sh", "-c", command), 30);
        if (r.exitCode() != 0) {
            throw new IOException(command + ": " + r.stderr().strip());
        }
        return r.stdout();
    }

    /** Runs a shell command in the peer's namespace. */
    public String inPeer(String command) throws IOException, InterruptedException {
        return sh("ip netns exec " + namespace + " " + command);
    }

    /** Loads an nftables ruleset into the peer's namespace. */
    public void peerNft(String ruleset) throws IOException, InterruptedException {
        inPeer("nft -f - <<'EOF'\n" + ruleset + "\nEOF");
    }

    /** Removes every nftables rule of the peer's namespace (ends injected loss). */
    public void peerNftFlush() throws IOException, InterruptedException {
        inPeer("nft flush ruleset");
    }

    /**
     * Delays a random {@code percent} of the packets this host sends to the peer behind a
     * slow HTB class, so they arrive after later ones: reordering without netem. Uses an
     * nftables table of this lab's own, matching only this lab's device.
     */
    public void reorderTowardsPeer(int percent, String slowRate) throws IOException, InterruptedException {
        sh("tc qdisc replace dev " + hostDev + " root handle 1: htb default 1");
        sh("tc class add dev " + hostDev + " parent 1: classid 1:1 htb rate 20gbit");
        sh("tc class add dev " + hostDev + " parent 1: classid 1:2 htb rate " + slowRate + " ceil " + slowRate);
        hostChain("out", "output priority 0");
        sh("nft add rule inet " + nftTable + " out oifname " + hostDev + " meta length '>' 200 numgen random mod 100 '<' "
                + percent + " meta priority set 1:2");
    }

    /**
     * Drops a random {@code percent} of the data segments the peer sends from {@code peerPort}
     * as they arrive here, before TCP sees them: loss on the path. (A drop in the peer's own
     * output hook would be a local transmit error, which its TCP sends again without any
     * loss reaching this end.)
     */
    public void loseFromPeer(int percent, int peerPort) throws IOException, InterruptedException {
        dropFromPeer(peerPort, "numgen random mod 100 '<' " + percent);
    }

    /**
     * Drops every segment carrying data that the peer sends from {@code peerPort}, however short
     * (the last of a write may be a few octets, which a length threshold lets through to be
     * SACKed); its pure ACKs pass. A segment carries data when its IP length exceeds the IPv4
     * and TCP headers (the lab's packets have no IP options).
     */
    public void blackholeFromPeer(int peerPort) throws IOException, InterruptedException {
        hostChain("in", "prerouting priority -300");
        for (int doff = 5; doff <= 15; doff++) {
            sh("nft add rule inet " + nftTable + " in iifname " + hostDev + " tcp sport " + peerPort + " tcp doff "
                    + doff + " ip length '>' " + (20 + 4 * doff) + " drop");
        }
    }

    /**
     * As {@link #loseFromPeer}, dropping the data segments (longer than 148 octets, so the peer's
     * ACKs pass) for which the nftables expression {@code condition} holds (quoted for sh), e.g.
     * "numgen inc mod 1000000 == 300": the 300th.
     */
    public void dropFromPeer(int peerPort, String condition) throws IOException, InterruptedException {
        hostChain("in", "prerouting priority -300");
        sh("nft add rule inet " + nftTable + " in iifname " + hostDev + " tcp sport " + peerPort + " meta length '>' 200 "
                + condition + " drop");
    }

    /**
     * Delays a random {@code percent} of the data segments the peer sends behind a slow HTB class
     * on its side of the link: reordering on the path from the peer, made in the peer's namespace.
     */
    public void reorderFromPeer(int percent, String slowRate) throws IOException, InterruptedException {
        shapeFromPeer("20gbit");
        inPeer("tc class add dev " + peerDev + " parent 1: classid 1:2 htb rate " + slowRate + " ceil " + slowRate);
        inPeer("nft add table inet reorder");
        inPeer("nft 'add chain inet reorder out { type filter hook output priority 0; }'");
        inPeer("nft add rule inet reorder out oifname " + peerDev + " meta length '>' 200 numgen random mod 100 '<' "
                + percent + " meta priority set 1:2");
    }

    /** Limits what the peer sends to {@code rate}, in its namespace. */
    public void shapeFromPeer(String rate) throws IOException, InterruptedException {
        inPeer("tc qdisc replace dev " + peerDev + " root handle 1: htb default 1");
        inPeer("tc class add dev " + peerDev + " parent 1: classid 1:1 htb rate " + rate + " ceil " + rate);
    }

    /** Changes the rate of the slow class set up by {@link #reorderFromPeer}. */
    public void slowPeerClassRate(String rate) throws IOException, InterruptedException {
        inPeer("tc class change dev " + peerDev + " parent 1: classid 1:2 htb rate " + rate + " ceil " + rate);
    }

    /**
     * The congestion control of the peer's connections to this host from now on: the route's
     * (a namespace's own default may only be one of the host's tcp_allowed_congestion_control).
     */
    public void peerCongestionControl(String name) throws IOException, InterruptedException {
        inPeer("ip route replace " + subnet + " dev " + peerDev + " congctl " + name);
    }

    /** The inode of the peer's network namespace, as the agent names it. */
    public long peerNetns() throws IOException, InterruptedException {
        return Long.parseLong(sh("stat -L -c %i /run/netns/" + namespace).strip());
    }

    /** The peer namespace's TcpExt counters (/proc/net/netstat there, what nstat reads). */
    public TcpExt peerTcpExt() throws IOException, InterruptedException {
        return TcpExt.parse(inPeer("cat /proc/net/netstat"));
    }

    /** tcp_info of a socket of the peer's namespace, from ss -tin run there. */
    public Ss peerSs(int localPort, int remotePort) throws IOException, InterruptedException {
        return Ss.in(namespace, localPort, remotePort);
    }

    /**
     * Drops the {@code nth} data segment the peer sends from {@code peerPort} from now on, and
     * every retransmission of it (a segment starting at the same sequence number).
     */
    public void loseOneSegmentForGood(int peerPort, int nth) throws IOException, InterruptedException {
        hostChain("in", "prerouting priority -300");
        sh("nft 'add set inet " + nftTable + " lost { typeof tcp sequence; flags dynamic; }'");
        dropFromPeer(peerPort, "numgen inc mod 1000000 == " + nth + " add @lost '{ tcp sequence }'");
        dropFromPeer(peerPort, "tcp sequence @lost");
    }

    /** Drops every segment the peer sends to this host's {@code port}: connects to it time out. */
    public void blackholeToHost(int port) throws IOException, InterruptedException {
        hostChain("in", "prerouting priority -300");
        sh("nft add rule inet " + nftTable + " in iifname " + hostDev + " tcp dport " + port + " drop");
    }

    /** Adds a filter chain at {@code hook} ("output priority 0") to this lab's own table here, unless it is there. */
    private void hostChain(String chain, String hook) throws IOException, InterruptedException {
        sh("nft add table inet " + nftTable);
        hostNft = true;
        sh("nft 'add chain inet " + nftTable + " " + chain + " { type filter hook " + hook + "; }'");
    }

    /**
     * Limits what this host sends to the peer to {@code rate}: a queue builds up, so round
     * trips take milliseconds instead of microseconds.
     */
    public void shapeTowardsPeer(String rate) throws IOException, InterruptedException {
        sh("tc qdisc replace dev " + hostDev + " root handle 1: htb default 1");
        sh("tc class add dev " + hostDev + " parent 1: classid 1:1 htb rate " + rate + " ceil " + rate);
    }

    /** Changes the rate of the slow class set up by {@link #reorderTowardsPeer}. */
    public void slowClassRate(String rate) throws IOException, InterruptedException {
        sh("tc class change dev " + hostDev + " parent 1: classid 1:2 htb rate " + rate + " ceil " + rate);
    }

    /** Starts {@code tcpestats.support.Peer} in the peer's namespace and waits until it listens. */
    public Process startPeer(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", Peer.classPath(),
                Peer.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        peers.add(p);
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
        if (!"ready".equals(line)) {
            throw new IOException("peer did not start: " + line);
        }
        return p;
    }

    @Override
    public void close() throws Exception {
        for (Process p : peers) {
            p.destroyForcibly().waitFor();
        }
        if (hostNft) {
            Processes.run(List.of("nft", "delete", "table", "inet", nftTable), 10);
        }
        Processes.run(List.of("ip", "link", "del", hostDev), 10);
        Processes.run(List.of("ip", "netns", "del", namespace), 10);
    }
}
