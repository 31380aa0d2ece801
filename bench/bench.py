#!/usr/bin/env python3
"""The benchmarks of docs/benchmarks.md; run through bench/run, which builds what they need.

Every number is compared with a baseline measured in the same run, because these
machines are noisy: configurations are interleaved round by round and reported as
medians with their min-max.
"""
import argparse
import contextlib
import csv
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JAVA = Path(os.environ.get("JAVA_HOME", "/usr")) / "bin" / "java"
JCMD = JAVA.parent / "jcmd"
AGENT = ROOT / "bin" / "estats-agent"
AGENT_JAR = ROOT / "agent" / "target" / "estats-agent.jar"
CGROUP = os.environ.get("ESTATS_CGROUP", "/sys/fs/cgroup/unified")
CLK_TCK = os.sysconf("SC_CLK_TCK")
COMMUNITY = "bench"
# NET-SNMP-AGENT-MIB nsCache, where snmpd says how long it keeps a table and lets it be emptied
NS_CACHE = "1.3.6.1.4.1.8072.1.5"
SNMPD_CACHE_COMMUNITY = "bench-cache"
PERF_TABLE = "1.3.6.1.2.1.156.1.1.3"
CONNECTION_TABLE = "1.3.6.1.2.1.6.19"
HOLD_PER_PROCESS = 2500  # both ends in one process: 5000 descriptors, well under the 20,000 cap
# client and server of the fast-path workloads on CPUs of their own, so that the scheduler moving
# them around adds less noise; the agent, softirqs and everything else share both
SERVER_CPU, CLIENT_CPU = "0", str(min(1, os.cpu_count() - 1))


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def run(cmd, timeout=120, check=True, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {r.returncode}: {r.stderr.strip()[:500]}")
    return r


def free_port(kind=socket.SOCK_DGRAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def median(values):
    return statistics.median(values) if values else float("nan")


def rotated(items, shift):
    """items, the first shift % len of them moved to the end: each round starts with another configuration."""
    items = list(items)
    k = shift % len(items)
    return items[k:] + items[:k]


def last_minute_rss_kib(samples):
    """The RSS samples (KiB) of a soak's last 60 s."""
    end = samples[-1]["t"] if samples else 0
    return [x["rss_kib"] for x in samples if x["t"] >= end - 60]


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


ALLOCATED = re.compile(r"allocated=(\d+)([BKMG])")


def java_allocated_bytes(pid):
    """What the JVM's threads have allocated on the heap since they started (jcmd Thread.print -e)."""
    dump = run([str(JCMD), str(pid), "Thread.print", "-e"]).stdout
    return sum(int(n) * 1024 ** "BKMG".index(unit) for n, unit in ALLOCATED.findall(dump))


def tcp_counters():
    """This network namespace's TCP counters (/proc/net/snmp and /proc/net/netstat, as nstat reads them),
    named like nstat's: TcpRetransSegs, TcpExtTCPDSACKRecv, ..."""
    counters = {}
    for table in ("snmp", "netstat"):
        lines = Path(f"/proc/net/{table}").read_text().splitlines()
        for names, values in zip(lines[::2], lines[1::2]):
            prefix, *keys = names.split()
            counters.update({prefix.rstrip(":") + k: int(v) for k, v in zip(keys, values.split()[1:])})
    return counters


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def stop_process(p, timeout=30):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def bpf_programs(prefixes=("estats_", "seed_")):
    """name -> (run_time_ns, run_cnt, recursion_misses) of the loaded programs with these prefixes."""
    progs = {}
    for p in json.loads(run(["bpftool", "prog", "show", "-j"]).stdout):
        name = p.get("name", "")
        if name.startswith(prefixes):
            t, c, m = progs.get(name, (0, 0, 0))
            progs[name] = (t + p.get("run_time_ns", 0), c + p.get("run_cnt", 0), m + p.get("recursion_misses", 0))
    return progs


BPF_STATS = Path("/proc/sys/kernel/bpf_stats_enabled")


@contextlib.contextmanager
def bpf_stats(enabled):
    """kernel.bpf_stats_enabled for a while: it times every program run with two clock reads,
    which cost about as much as a short program, so throughput is measured with it off."""
    before = BPF_STATS.read_text().strip()
    BPF_STATS.write_text("1" if enabled else "0")
    try:
        yield
    finally:
        BPF_STATS.write_text(before)


def bpf_map_bytes(prefixes=("estats_",)):
    """name -> bytes_memlock of the agent's maps (found through its programs' map ids)."""
    ids = set()
    for p in json.loads(run(["bpftool", "prog", "show", "-j"]).stdout):
        if p.get("name", "").startswith(prefixes):
            ids.update(p.get("map_ids", []))
    maps = {}
    for m in json.loads(run(["bpftool", "map", "show", "-j"]).stdout):
        if m["id"] in ids:
            maps[m.get("name", str(m["id"]))] = (m.get("type", ""), int(m.get("bytes_memlock", 0)))
    return maps


def answers(port, process, seconds):
    """Whether the SNMP server started as process answers a GET of sysDescr.0 on port within seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        if snmp("snmpget", port, "1.3.6.1.2.1.1.1.0", check=False, request_timeout=1).returncode == 0:
            return True
        time.sleep(0.1)
    return False


class Agent:
    """The agent as an operator runs it (bin/estats-agent run), SNMPv2c on a free port.

    settle: seconds to wait once it answers, so that measurements do not include the JVM's start
    (class loading and JIT compilation take a CPU for a few seconds on a 2-CPU machine).
    """

    def __init__(self, work, name, lines=(), settle=0.0, java_opts=None):
        self.port = free_port()
        self.conf = work / f"{name}.conf"
        self.log = work / f"{name}.log"
        self.conf.write_text("\n".join([f"agentAddress udp:127.0.0.1:{self.port}",
                                        f"rocommunity {COMMUNITY} 127.0.0.1", *lines]) + "\n")
        env = dict(os.environ, ESTATS_JAVA_OPTS=java_opts) if java_opts else None
        self.process = subprocess.Popen([str(AGENT), "run", "--config", str(self.conf)],
                                        stdout=self.log.open("w"), stderr=subprocess.STDOUT, env=env)
        if not answers(self.port, self.process, 60):
            self.stop()
            raise RuntimeError(f"agent did not answer within 60 s (exit code {self.process.returncode}): "
                               f"{self.log.read_text()[-2000:]}")
        time.sleep(settle)

    @property
    def pid(self):
        return self.process.pid

    def stop(self):
        stop_process(self.process)
        return self.log.read_text()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Seed:
    """The throwaway one-record-per-update design: bench/src/seed.bpf.c and its consumer."""

    def __init__(self, build):
        self.process = subprocess.Popen([str(build / "seed"), str(build / "seed.bpf.o"), CGROUP],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError(f"seed did not start: {self.process.stderr.read()}")
        self.records = self.dropped = 0
        self.cpu = 0.0

    @property
    def pid(self):
        return self.process.pid

    def stop(self):
        self.cpu = cpu_seconds(self.pid)
        stop_process(self.process)
        m = re.search(r"records (\d+) dropped (\d+)", self.process.stdout.read())
        if m:
            self.records, self.dropped = int(m.group(1)), int(m.group(2))


def snmp(tool, port, *args, check=True, timeout=300, request_timeout=60, community=COMMUNITY):
    return run([tool, "-v2c", "-c", community, "-On", "-t", str(request_timeout), "-r", "0", f"127.0.0.1:{port}",
                *args], timeout=timeout, check=check)


class NetPath:
    """Where the fast-path workloads run: loopback, or a veth pair to a namespace of our own."""

    def __init__(self, name):
        self.name = name
        self.ns = None
        self.server = "127.0.0.1"
        if name == "veth":
            tag = f"{os.getpid() % 100000:05d}"
            self.ns, self.host_dev, self.peer_dev = f"esbench-{tag}", f"esb{tag}h", f"esb{tag}p"
            cmds = [f"ip netns add {self.ns}",
                    f"ip link add {self.host_dev} type veth peer name {self.peer_dev}",
                    f"ip link set {self.peer_dev} netns {self.ns}",
                    f"ip addr add 198.18.250.1/30 dev {self.host_dev}",
                    f"ip link set {self.host_dev} up",
                    f"ip -n {self.ns} addr add 198.18.250.2/30 dev {self.peer_dev}",
                    f"ip -n {self.ns} link set {self.peer_dev} up",
                    f"ip -n {self.ns} link set lo up"]
            for c in cmds:
                run(c.split())
            self.server = "198.18.250.2"

    def peer(self, cmd):
        return (["ip", "netns", "exec", self.ns] if self.ns else []) + cmd

    def close(self):
        if self.ns:
            run(["ip", "link", "del", self.host_dev], check=False)
            run(["ip", "netns", "del", self.ns], check=False)


class Servers:
    """iperf3 and sockperf servers on the far end of a path, for all the rounds."""

    def __init__(self, path):
        self.path = path
        self.iperf_port = free_port(socket.SOCK_STREAM)
        self.sockperf_port = free_port(socket.SOCK_STREAM)
        self.procs = [
            subprocess.Popen(path.peer(["taskset", "-c", SERVER_CPU, "iperf3", "-s", "-p", str(self.iperf_port)]),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
            subprocess.Popen(path.peer(["taskset", "-c", SERVER_CPU, "sockperf", "sr", "--tcp", "-i", path.server,
                                        "-p", str(self.sockperf_port)]),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
        time.sleep(1)

    def iperf3(self, seconds):
        r = run(["taskset", "-c", CLIENT_CPU, "iperf3", "-c", self.path.server, "-p", str(self.iperf_port), "-t", str(seconds), "-J"],
                timeout=seconds + 60)
        return json.loads(r.stdout)["end"]["sum_received"]["bits_per_second"] / 1e9

    def sockperf(self, seconds):
        r = run(["taskset", "-c", CLIENT_CPU, "sockperf", "pp", "--tcp", "-i", self.path.server, "-p", str(self.sockperf_port),
                 "-t", str(seconds), "--mps=max"], timeout=seconds + 60)
        out = re.sub(r"\x1b\[[0-9;]*m", "", r.stdout + r.stderr)
        valid = re.search(r"\[Valid Duration\] RunTime=([\d.]+) sec; SentMessages=(\d+)", out)
        p99 = re.search(r"percentile 99\.000 =\s*([\d.]+)", out)
        if not valid or not p99:
            raise RuntimeError(f"sockperf output not understood: {out[-1000:]}")
        return int(valid.group(2)) / float(valid.group(1)), float(p99.group(1))

    def close(self):
        for p in self.procs:
            stop_process(p, 10)


# --- 1, 2, 6: the fast path, per-program cost, the seed design ----------------------------------

MODES = ["bare", "default", "all", "seed"]
ALL_TABLES = ["tcpEStatsControlPath true", "tcpEStatsControlStack true", "tcpEStatsControlApp true",
              "tcpEStatsControlTune true"]


def start_mode(mode, work, build, settle):
    if mode == "bare":
        return None
    if mode == "seed":
        return Seed(build)
    return Agent(work, mode, ALL_TABLES if mode == "all" else (), settle)


# the sender's retransmitted segments, the reorderings it detected, and the D-SACKs by which the receiver said
# that a retransmitted segment had arrived already
BULK_TCP_COUNTERS = ("TcpRetransSegs", "TcpExtTCPSACKReorder", "TcpExtTCPDSACKRecv")


def fast_path(cfg, work, build, results):
    for path_name in cfg.paths:
        path = NetPath(path_name)
        servers = Servers(path)
        try:
            for rnd in range(cfg.rounds):
                for mode in rotated(MODES, rnd):  # no mode always runs first
                    log(f"fast path: {path_name} round {rnd + 1}/{cfg.rounds} {mode}")
                    runner = start_mode(mode, work, build, cfg.settle)
                    try:
                        with bpf_stats(False):
                            # the sender (iperf3's client) is in this namespace on either path
                            tcp0 = tcp_counters()
                            gbits = servers.iperf3(cfg.seconds)
                            tcp1 = tcp_counters()
                            tps, p99 = servers.sockperf(cfg.seconds)
                        if runner is not None:
                            # the programs' cost: the same workloads again, shorter, timed by the kernel
                            with bpf_stats(True):
                                p0 = bpf_programs()
                                servers.iperf3(cfg.cost_seconds)
                                p1 = bpf_programs()
                                servers.sockperf(cfg.cost_seconds)
                                p2 = bpf_programs()
                    finally:
                        if runner is not None:
                            runner.stop()
                    results["fast_path"].append({"path": path_name, "round": rnd + 1, "mode": mode,
                                                 "bulk_gbits": gbits, "rr_tps": tps, "rr_p99_us": p99,
                                                 **{f"bulk_{k}": (tcp1[k] - tcp0[k]) / cfg.seconds
                                                    for k in BULK_TCP_COUNTERS}})
                    if runner is None:
                        continue
                    if isinstance(runner, Seed):
                        results["seed_consumer"].append({"path": path_name, "round": rnd + 1,
                                                         "records": runner.records, "dropped": runner.dropped,
                                                         "cpu_seconds": runner.cpu,
                                                         "seconds": 2 * (cfg.seconds + cfg.cost_seconds)})
                    for workload, before, after in (("bulk", p0, p1), ("rr", p1, p2)):
                        for name, (t1, c1, _) in after.items():
                            t0, c0, _ = before.get(name, (0, 0, 0))
                            if c1 > c0:
                                results["programs"].append({"path": path_name, "round": rnd + 1, "mode": mode,
                                                            "workload": workload, "program": name,
                                                            "runs_per_s": (c1 - c0) / cfg.cost_seconds,
                                                            "ns_per_run": (t1 - t0) / (c1 - c0)})
        finally:
            servers.close()
            path.close()


# --- 3: walk throughput against net-snmp's snmpd ----------------------------------------------------

class Holders:
    """connections open connections, both ends on loopback, spread over loadgen processes."""

    def __init__(self, build, connections):
        self.procs = []
        self.ports = []
        left = connections
        while left > 0:
            n = min(left, HOLD_PER_PROCESS)
            p = subprocess.Popen([str(build / "loadgen"), "hold", str(n)], stdout=subprocess.PIPE, text=True)
            self.procs.append(p)
            left -= n
        for p in self.procs:
            line = p.stdout.readline().split()
            if not line or line[0] != "ready":
                raise RuntimeError("loadgen hold did not get ready")
            self.ports.append(int(line[1]))
        # a snapshot taken while they were connecting may serve requests for estatsSnapshotMaxAge
        time.sleep(1)

    def close(self):
        for p in self.procs:
            stop_process(p, 10)


class Snmpd:
    """Debian's net-snmp snmpd on another loopback port, with only our configuration."""

    def __init__(self, work):
        self.port = free_port()
        d = work / "snmpd"
        d.mkdir(exist_ok=True)
        # the write community reaches only NET-SNMP-AGENT-MIB's nsCache: empty_cache() below
        (d / "snmpd.conf").write_text(f"rocommunity {COMMUNITY} 127.0.0.1\n"
                                      f"rwcommunity {SNMPD_CACHE_COMMUNITY} 127.0.0.1 {NS_CACHE}\n")
        env = dict(os.environ, SNMP_PERSISTENT_DIR=str(d / "persist"))
        self.process = subprocess.Popen(["snmpd", "-f", "-C", "-c", str(d / "snmpd.conf"), "-Lf", str(d / "log"),
                                         "-p", str(d / "pid"), f"udp:127.0.0.1:{self.port}"], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not answers(self.port, self.process, 10):
            self.close()
            raise RuntimeError("snmpd did not answer within 10 s")
        self.version = snmp("snmpget", self.port, "-Ovq", "1.3.6.1.2.1.1.1.0").stdout.strip()

    def cache_timeout(self, table):
        """How long snmpd answers from what it last read for table (nsCacheTimeout, seconds)."""
        return int(snmp("snmpget", self.port, "-Ovq", f"{NS_CACHE}.3.1.2.{table}").stdout.strip())

    def empty_cache(self, table):
        """Drops what snmpd holds for table (nsCacheStatus empty): its next request reads the kernel's again."""
        snmp("snmpset", self.port, f"{NS_CACHE}.3.1.3.{table}", "i", "3", timeout=30, request_timeout=10,
             community=SNMPD_CACHE_COMMUNITY)

    @property
    def pid(self):
        return self.process.pid

    def close(self):
        stop_process(self.process, 10)


def timed_walk(port, oid, pid, repetitions=50, java=False):
    """A walk's varbinds, time and server CPU; for a JVM (java), also the bytes its threads allocated."""
    allocated0 = java_allocated_bytes(pid) if java else 0
    cpu0 = cpu_seconds(pid)
    t0 = time.monotonic()
    r = snmp("snmpbulkwalk", port, f"-Cr{repetitions}", oid, timeout=1800)
    wall = time.monotonic() - t0
    cpu = cpu_seconds(pid) - cpu0
    varbinds = sum(1 for line in r.stdout.splitlines() if " = " in line)
    w = {"varbinds": varbinds, "seconds": wall, "varbinds_per_s": varbinds / wall, "server_cpu_seconds": cpu}
    if java:
        w["allocated_bytes"] = java_allocated_bytes(pid) - allocated0
    return w


WALK_REPETITIONS = (10, 50)
WALK_TABLES = (("agent", "tcpEStatsPerfTable", PERF_TABLE), ("snmpd", "tcpConnectionTable", CONNECTION_TABLE),
               ("agent", "tcpConnectionTable", CONNECTION_TABLE))
# the agent's default estatsSnapshotMaxAge
SNAPSHOT_MAX_AGE_S = 0.5


def walk(cfg, work, build, results):
    """Each walk either reads the kernel's state first (cold: the agent's snapshot older than
    estatsSnapshotMaxAge, snmpd's cache of the table emptied) or is answered from what the server
    already holds (warm: a GETNEXT just before takes the agent's pass, snmpd's cache is the one its
    cold walk just filled)."""
    log(f"walk: opening {cfg.walk_connections} connections")
    holders = Holders(build, cfg.walk_connections)
    snmpd = Snmpd(work)
    try:
        with Agent(work, "walk", settle=cfg.settle) as agent:
            results["walk_info"] = {"connections": cfg.walk_connections, "snmpd": snmpd.version,
                                    "snmpd_cache_timeout_s": snmpd.cache_timeout(CONNECTION_TABLE)}
            for rnd in range(cfg.walk_rounds):
                for repetitions in WALK_REPETITIONS:
                    for start in ("cold", "warm"):
                        for server, name, oid in WALK_TABLES:
                            log(f"walk: round {rnd + 1}/{cfg.walk_rounds} -Cr{repetitions} {start} {server} {name}")
                            if server == "snmpd":
                                if start == "cold":
                                    snmpd.empty_cache(oid)
                                port, pid = snmpd.port, snmpd.pid
                            else:
                                time.sleep(SNAPSHOT_MAX_AGE_S + 0.1)
                                if start == "warm":
                                    snmp("snmpgetnext", agent.port, oid)
                                port, pid = agent.port, agent.pid
                            w = timed_walk(port, oid, pid, repetitions, java=server == "agent")
                            results["walk"].append({"round": rnd + 1, "server": server, "table": name,
                                                    "repetitions": repetitions, "start": start, **w})
    finally:
        snmpd.close()
        holders.close()


# --- 4: churn -------------------------------------------------------------------------------------

LIFECYCLE = re.compile(r"lifecycle events: (\d+) from the ring buffer, (\d+) from the spill map, (\d+) lost in the "
                       r"kernel; (\d+) establishments or closes found by kernel passes instead")


STATE_TRACEPOINT_DETACHED = "the inet_sock_set_state tracepoint is detached"


def lifecycle_tracepoint_misses():
    """Runs of the state tracepoint (sockets sockops does not follow: older than the agent, before Linux 6.12)
    the kernel skipped; sockops, which sends the lifecycle events of every other connection, is never skipped."""
    return sum(m for _, _, m in bpf_programs(("estats_set_state",)).values())


def detached(churn_row):
    """Whether the state tracepoint was detached during a churn step (runs before this column: attached)."""
    return "detached" if churn_row.get("state_tracepoint_detached") else "attached"


def run_churn(build, port, rate, seconds):
    """Connections made by loadgen churn at rate a second for seconds (two generators above 8,000/s)."""
    workers = 1 if rate <= 8000 else 2
    gens = [subprocess.Popen([str(build / "loadgen"), "churn", port, str(rate / workers), str(seconds)],
                             stdout=subprocess.PIPE, text=True) for _ in range(workers)]
    made = 0
    for g in gens:
        made += int(re.search(r"made (\d+)", g.communicate(timeout=seconds + 120)[0]).group(1))
    return made


def churn(cfg, work, build, results):
    for rate in cfg.churn_rates:
        server = subprocess.Popen([str(build / "loadgen"), "serve-close", "0"], stdout=subprocess.PIPE, text=True)
        port = server.stdout.readline().split()[1]
        agent = Agent(work, f"churn{rate}", settle=cfg.settle)
        try:
            log(f"churn: {rate} connections/s, {cfg.churn_warmup} s to warm up, then {cfg.churn_seconds} s measured")
            # the JVM compiles the event path during the first thousands of events: not measured
            warmup = run_churn(build, port, rate, cfg.churn_warmup)
            misses0 = lifecycle_tracepoint_misses()
            cpu0, t0 = cpu_seconds(agent.pid), time.monotonic()
            made = run_churn(build, port, rate, cfg.churn_seconds)
            wall = time.monotonic() - t0
            cpu = cpu_seconds(agent.pid) - cpu0
            time.sleep(6)  # one repair pass (every 5 s) finds what events missed
            misses = lifecycle_tracepoint_misses() - misses0
        finally:
            text = agent.stop()
            stop_process(server, 10)
        m = LIFECYCLE.search(text)
        if not m:
            raise RuntimeError("the agent did not log its lifecycle event counts")
        ring, spill, lost, repaired = map(int, m.groups())
        results["churn"].append({"target_per_s": rate, "warmup_made": warmup, "made": made,
                                 "achieved_per_s": made / wall, "expected_events": 4 * (warmup + made),
                                 "ring_buffer_events": ring, "spill_map_events": spill, "lost_in_kernel": lost,
                                 "tracepoint_recursion_misses": misses, "repaired_by_passes": repaired,
                                 "state_tracepoint_detached": STATE_TRACEPOINT_DETACHED in text,
                                 "agent_cpu_percent": 100 * cpu / wall, "agent_cpu_us_per_connection": 1e6 * cpu / made})


# --- 5: memory ------------------------------------------------------------------------------------

def heap_kib(pid, gc=True):
    """(in use, committed) KiB of the Java heap, after a full GC unless gc is False."""
    jcmd = str(JCMD)
    if gc:
        run([jcmd, str(pid), "GC.run"])
    # one line per generation (serial: "def new generation total 4928K, used 1234K" and the tenured one;
    # G1: "garbage-first heap total reserved 131072K, committed 131072K, used 12254K"), not their spaces
    gens = re.findall(r"^\s*[\w-]+(?: [\w-]+)* +total (?:reserved \d+K, committed )?(\d+)K, used (\d+)K",
                      run([jcmd, str(pid), "GC.heap_info"]).stdout, re.M)
    return sum(int(u) for _, u in gens), sum(int(t) for t, _ in gens)


def heap_after_gc_kib(pid):
    return heap_kib(pid)[0]


def proc_status_kib(pid, *keys):
    """Values (KiB) of /proc/PID/status lines such as VmHWM or RssFile."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key = line.split(":", 1)[0]
        if key in keys:
            values[key] = int(line.split()[1])
    return [values.get(k, 0) for k in keys]


def launcher_java_options():
    """The Java options bin/estats-agent runs the agent with when ESTATS_JAVA_OPTS is not set."""
    m = re.search(r'ESTATS_JAVA_OPTS:-([^}]*)}', AGENT.read_text())
    return m.group(1) if m else "?"


def loaded_classes(pid):
    """The classes a JVM has loaded (jcmd VM.classes), without hidden classes and arrays."""
    names = set()
    for line in run([str(JCMD), str(pid), "VM.classes"]).stdout.splitlines():
        fields = line.split()
        if fields and fields[0].startswith("0x") and "/" not in fields[-1] and "[" not in fields[-1]:
            names.add(fields[-1])
    return sorted(names)


def jvm_floor_kib(build, classes):
    """RSS and file-backed KiB of a JVM with the launcher's options that loads classes (a file, or None) and sleeps."""
    env = dict(os.environ, MALLOC_ARENA_MAX="2")
    p = subprocess.Popen([str(JAVA), *launcher_java_options().split(), "-cp", f"{build / 'floor'}:{AGENT_JAR}",
                          "JvmFloor", *([str(classes)] if classes else [])], stdout=subprocess.PIPE, text=True, env=env)
    try:
        ready = p.stdout.readline().split()
        if not ready or ready[0] != "ready":
            raise RuntimeError("JvmFloor did not get ready")
        time.sleep(2)
        rss, file = proc_status_kib(p.pid, "VmRSS", "RssFile")
        return {"rss_kib": rss, "rss_file_kib": file, "classes_loaded": int(ready[1])}
    finally:
        stop_process(p, 10)


def memory(cfg, work, build, results):
    classes = work / "agent-classes.txt"
    with Agent(work, "memory", ALL_TABLES, cfg.settle) as agent:
        for n in cfg.memory_levels:
            log(f"memory: {n} connections")
            holders = Holders(build, n) if n else None
            try:
                rows = sum(1 for line in snmp("snmpbulkwalk", agent.port, "-Cr50", PERF_TABLE + ".1.1",
                                               timeout=600).stdout.splitlines() if " = " in line)
                maps = bpf_map_bytes()
                rss, peak, anon, file = proc_status_kib(agent.pid, "VmRSS", "VmHWM", "RssAnon", "RssFile")
                committed = heap_kib(agent.pid, gc=False)[1]
                results["memory"].append({"connections": n, "perf_rows": rows, "agent_rss_kib": rss,
                                          "agent_rss_peak_kib": peak, "rss_anon_kib": anon, "rss_file_kib": file,
                                          "heap_committed_kib": committed,
                                          "heap_after_gc_kib": heap_after_gc_kib(agent.pid),
                                          "bpf_map_bytes": sum(b for _, b in maps.values()),
                                          "maps": {k: {"type": t, "bytes": b} for k, (t, b) in maps.items()}})
                if n == 0:
                    classes.write_text("\n".join(loaded_classes(agent.pid)) + "\n")
            finally:
                if holders:
                    holders.close()
    log("memory: the JVM's floor")
    results["memory_floor"] = [{"what": "the JVM alone", **jvm_floor_kib(build, None)},
                               {"what": "the JVM with the idle agent's classes loaded", **jvm_floor_kib(build, classes)}]


# --- 7: network namespaces --------------------------------------------------------------------------

NS_USER, NS_PASS = "benchns", "benchpass-4898"
VACM_CONTEXT_NAME = "1.3.6.1.6.3.16.1.1.1.1"


class Namespaces:
    """count network namespaces of our own (ip netns), each with per_ns loopback connections held inside."""

    def __init__(self, build, count, per_ns):
        tag = f"{os.getpid() % 100000:05d}"
        self.names, self.procs = [], []
        try:
            for i in range(count):
                name = f"esbns-{tag}-{i}"
                run(["ip", "netns", "add", name])
                self.names.append(name)
                run(["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"])
                self.procs.append(subprocess.Popen(["ip", "netns", "exec", name, str(build / "loadgen"), "hold",
                                                    str(per_ns)], stdout=subprocess.PIPE, text=True))
            for p in self.procs:
                if not p.stdout.readline().startswith("ready"):
                    raise RuntimeError("loadgen hold did not get ready in a namespace")
            self.contexts = [f"netns:{os.stat(f'/run/netns/{n}').st_ino}" for n in self.names]
        except BaseException:
            self.close()
            raise

    def close(self):
        for p in self.procs:
            stop_process(p, 10)
        for name in self.names:
            run(["ip", "netns", "del", name], check=False)


def snmp_v3(port, context, *args, timeout=600):
    return run(["snmpbulkwalk", "-v3", "-l", "authPriv", "-u", NS_USER, "-a", "SHA-256", "-A", NS_PASS, "-x", "AES",
                "-X", NS_PASS, *(["-n", context] if context else []), "-On", "-Cr50", "-t", "60", "-r", "0",
                f"127.0.0.1:{port}", *args], timeout=timeout)


def snmp_v3_get(port, context, *args):
    return run(["snmpget", "-v3", "-l", "authPriv", "-u", NS_USER, "-a", "SHA-256", "-A", NS_PASS, "-x", "AES",
                "-X", NS_PASS, *(["-n", context] if context else []), "-On", "-t", "60", "-r", "0",
                f"127.0.0.1:{port}", *args], timeout=120)


def namespace_round(cfg, work, build, layout, rnd):
    """One agent with the connections laid out as layout says: a kernel pass and a walk of every context."""
    count, per_ns = cfg.ns_layouts[layout]
    holders = Holders(build, per_ns) if count == 0 else None
    spaces = Namespaces(build, count, per_ns) if count else None
    try:
        lines = [f"createUser {NS_USER} SHA-256 {NS_PASS} AES {NS_PASS}",
                 "group benchns usm benchns", "view all included .1", 'access benchns "" usm priv prefix all none none']
        with Agent(work, f"ns-{layout}", lines, settle=cfg.settle) as agent:
            contexts = [None] + (spaces.contexts if spaces else [])
            deadline = time.monotonic() + 60
            while len(re.findall(r'"netns:', snmp_v3(agent.port, None, VACM_CONTEXT_NAME).stdout)) < len(contexts) - 1:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the agent did not serve {len(contexts) - 1} namespace contexts within 60 s")
                time.sleep(0.5)
            # a GET of a table cell once the snapshot is older than estatsSnapshotMaxAge (500 ms) takes a
            # kernel pass: in the default context of the agent's own namespace, in another context of the
            # agent's and that one
            measured = {}
            for name, context in (("pass", None), ("context_pass", contexts[-1])):
                wall = cpu = 0.0
                for _ in range(cfg.ns_requests):
                    time.sleep(0.6)
                    cpu0, t0 = cpu_seconds(agent.pid), time.monotonic()
                    snmp_v3_get(agent.port, context, PERF_TABLE + ".1.1.1")
                    wall += time.monotonic() - t0
                    cpu += cpu_seconds(agent.pid) - cpu0
                measured[f"{name}_ms"] = 1000 * wall / cfg.ns_requests
                measured[f"{name}_agent_cpu_ms"] = 1000 * cpu / cfg.ns_requests
            # no request at all: what the pass of every namespace every few seconds (repair) costs
            cpu0, t0 = cpu_seconds(agent.pid), time.monotonic()
            time.sleep(cfg.ns_idle_seconds)
            idle_cpu_pct = 100 * (cpu_seconds(agent.pid) - cpu0) / (time.monotonic() - t0)
            # the walk of one context: the default one alone, else one of the namespaces
            time.sleep(0.6)
            t0 = time.monotonic()
            r = snmp_v3(agent.port, contexts[-1], PERF_TABLE)
            varbinds = sum(1 for line in r.stdout.splitlines() if " = " in line)
            walk_s = time.monotonic() - t0
            return {"round": rnd, "layout": layout, "namespaces": count, "connections_per_namespace": per_ns,
                    "contexts": len(contexts), **measured, "idle_agent_cpu_pct": idle_cpu_pct,
                    "walk_varbinds": varbinds, "walk_seconds": walk_s, "walk_varbinds_per_s": varbinds / walk_s}
    finally:
        if holders:
            holders.close()
        if spaces:
            spaces.close()


def namespaces(cfg, work, build, results):
    for rnd in range(1, cfg.ns_rounds + 1):
        for layout in rotated(cfg.ns_layouts, rnd - 1):
            log(f"namespaces: round {rnd}/{cfg.ns_rounds} {layout}")
            results["namespaces"].append(namespace_round(cfg, work, build, layout, rnd))


# --- 8: soak ---------------------------------------------------------------------------------------

def soak_round(cfg, work, build, rnd, seconds=None, java_opts=None):
    """One soak: connections held, a steady churn, a walk every soak_walk_every seconds; RSS every second.

    seconds: how long (default soak_seconds); java_opts: the agent's Java options (default the launcher's).
    """
    seconds = seconds or cfg.soak_seconds
    holders = Holders(build, cfg.soak_connections)
    server = subprocess.Popen([str(build / "loadgen"), "serve-close", "0"], stdout=subprocess.PIPE, text=True)
    port = server.stdout.readline().split()[1]
    churner = None
    try:
        with Agent(work, f"soak{rnd}", ["tcpEStatsConnTableLatency 5"], settle=cfg.settle,
                   java_opts=java_opts) as agent:
            churner = subprocess.Popen([str(build / "loadgen"), "churn", port, str(cfg.soak_churn_per_s),
                                        str(seconds)], stdout=subprocess.PIPE, text=True)
            samples, walks = [], []
            t0 = time.monotonic()
            next_walk = t0
            while time.monotonic() - t0 < seconds:
                now = time.monotonic()
                if now >= next_walk:
                    r = snmp("snmpbulkwalk", agent.port, "-Cr50", PERF_TABLE, check=False, timeout=600)
                    done = time.monotonic()
                    walks.append({"t": now - t0, "seconds": done - now, "ok": r.returncode == 0,
                                  "varbinds": sum(1 for line in r.stdout.splitlines() if " = " in line)})
                    next_walk = now + cfg.soak_walk_every
                samples.append({"t": time.monotonic() - t0, "rss_kib": rss_kib(agent.pid)})
                time.sleep(max(0.0, min(1.0, next_walk - time.monotonic())))
            made = int(re.search(r"made (\d+)", churner.communicate(timeout=120)[0]).group(1))
            cpu = cpu_seconds(agent.pid)
            committed = heap_kib(agent.pid, gc=False)[1]
            return {"round": rnd, "samples": samples, "walks": walks, "churned": made, "agent_cpu_s": cpu,
                    "heap_committed_kib": committed, "heap_after_gc_kib": heap_after_gc_kib(agent.pid)}
    finally:
        if churner:
            stop_process(churner, 10)
        stop_process(server, 10)
        holders.close()


def soak(cfg, work, build, results):
    for rnd in range(1, cfg.soak_rounds + 1):
        log(f"soak: round {rnd}/{cfg.soak_rounds}, {cfg.soak_seconds} s")
        results["soak"].append(soak_round(cfg, work, build, rnd))


# --- 9: Java options ------------------------------------------------------------------------------

def java_options(cfg, work, build, results):
    """The soak, shortened, with the launcher's options and with each alternative an operator may weigh
    (G1 in place of the serial collector; only the C1 compiler), interleaved round by round: what the
    launcher's choice rests on."""
    serial = launcher_java_options()
    if "-XX:+UseSerialGC" not in serial.split():
        raise RuntimeError(f"the launcher's options no longer name the serial collector: {serial}")
    configs = [("serial", serial), ("G1", serial.replace("-XX:+UseSerialGC", "-XX:+UseG1GC")),
               ("serial, C1 only", serial + " -XX:TieredStopAtLevel=1")]
    for rnd in range(1, cfg.java_options_rounds + 1):
        for name, opts in rotated(configs, rnd - 1):
            log(f"java options: round {rnd}/{cfg.java_options_rounds}, {name}, {cfg.java_options_seconds} s")
            r = soak_round(cfg, work, build, rnd, cfg.java_options_seconds, opts)
            secs = [w["seconds"] for w in r["walks"]]
            results["java_options"].append({
                "name": name, "java_options": opts, "round": rnd,
                "rss_peak_kib": max(x["rss_kib"] for x in r["samples"]),
                "rss_last_minute_kib": median(last_minute_rss_kib(r["samples"])),
                "heap_committed_kib": r["heap_committed_kib"], "heap_after_gc_kib": r["heap_after_gc_kib"],
                "walks": len(secs), "walks_failed": sum(1 for w in r["walks"] if not w["ok"]),
                "walk_seconds_median": median(secs), "agent_cpu_s": r["agent_cpu_s"]})


def soak_plot(results, out_dir):
    """RSS and walk time over each soak round, as a PNG beside benchmarks.md."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (rss, walk) = plt.subplots(2, 1, figsize=(9, 6), sharex=True)
    for r in results["soak"]:
        rss.plot([s["t"] / 60 for s in r["samples"]], [s["rss_kib"] / 1024 for s in r["samples"]],
                 label=f"round {r['round']}")
        walk.plot([w["t"] / 60 for w in r["walks"]], [w["seconds"] for w in r["walks"]], marker=".",
                  label=f"round {r['round']}")
    rss.axhline(128, color="grey", linestyle="--", linewidth=1)
    rss.set_ylabel("agent RSS (MiB)")
    rss.set_ylim(bottom=0)
    rss.legend()
    walk.set_ylabel("walk of tcpEStatsPerfTable (s)")
    walk.set_xlabel("minutes")
    walk.set_ylim(bottom=0)
    fig.tight_layout()
    fig.savefig(out_dir / "benchmarks-soak.png", dpi=80)
    plt.close(fig)


# --- the report -----------------------------------------------------------------------------------

def fmt(v, digits=3):
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


def pair_ratios(rows, mode, key):
    """Per round: mode's value / bare's value (the interleaved pairs)."""
    by = {(r["path"], r["round"], r["mode"]): r[key] for r in rows}
    out = {}
    for (path, rnd, m), v in by.items():
        if m == mode and (path, rnd, "bare") in by:
            out.setdefault(path, []).append(v / by[(path, rnd, "bare")])
    return out


def report(cfg, results, out_dir):
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "benchmarks.json").write_text(json.dumps(results, indent=1) + "\n")
    with (out_dir / "benchmarks.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["section", "path", "round", "mode", "workload", "metric", "value"])
        for r in results["fast_path"]:
            for k in ("bulk_gbits", "rr_tps", "rr_p99_us", *(f"bulk_{c}" for c in BULK_TCP_COUNTERS)):
                if k in r:
                    w.writerow(["fast_path", r["path"], r["round"], r["mode"], "", k, r[k]])
        for r in results["programs"]:
            w.writerow(["programs", r["path"], r["round"], r["mode"], r["workload"], r["program"] + ".ns_per_run",
                        r["ns_per_run"]])
        for r in results["walk"]:
            what = f"{r['table']} -Cr{r.get('repetitions', 50)} {r.get('start', 'cold')}"
            w.writerow(["walk", "loopback", r["round"], r["server"], what, "varbinds_per_s", r["varbinds_per_s"]])
            if "allocated_bytes" in r:
                w.writerow(["walk", "loopback", r["round"], r["server"], what, "allocated_bytes", r["allocated_bytes"]])
        for r in results["churn"]:
            for k in ("achieved_per_s", "lost_in_kernel", "tracepoint_recursion_misses", "agent_cpu_percent"):
                w.writerow(["churn", "loopback", "", r["target_per_s"], "", k, r[k]])
        for r in results["memory"]:
            for k in ("agent_rss_kib", "heap_after_gc_kib", "bpf_map_bytes"):
                w.writerow(["memory", "loopback", "", r["connections"], "", k, r[k]])
        for r in results["soak"]:
            for x in r["samples"]:
                w.writerow(["soak", "loopback", r["round"], "", f"{x['t']:.1f}", "agent_rss_kib", x["rss_kib"]])
            for x in r["walks"]:
                w.writerow(["soak", "loopback", r["round"], "", f"{x['t']:.1f}", "walk_seconds", x["seconds"]])
        for r in results["java_options"]:
            for k in ("rss_peak_kib", "rss_last_minute_kib", "heap_committed_kib", "heap_after_gc_kib",
                      "walk_seconds_median", "agent_cpu_s"):
                w.writerow(["java_options", "loopback", r["round"], r["name"], "", k, r[k]])
        for r in results["namespaces"]:
            for k in ("pass_ms", "pass_agent_cpu_ms", "context_pass_ms", "context_pass_agent_cpu_ms",
                      "idle_agent_cpu_pct", "walk_varbinds_per_s"):
                w.writerow(["namespaces", "loopback", r["round"], r["layout"], "", k, r[k]])

    info = results["machine"]
    L = []
    add = L.append
    add("# Benchmarks")
    add("")
    dates = sorted(set(results.get("dates", {}).values()))
    when = info["date"] if len(dates) <= 1 else ", ".join(
        f"{name} {date}" for name, date in results["dates"].items())
    add(f"Generated by `bench/run{' --quick' if cfg.quick else ''}` on {when}: {info['cpus']} CPUs "
        f"({info['cpu_model']}), {info['memory_gib']} GiB, Linux {info['kernel']}, {info['java']}. Raw values: "
        "[benchmarks.csv](benchmarks.csv), [benchmarks.json](benchmarks.json).")
    if cfg.quick:
        add("")
        add("**Quick mode**: one short round of everything, to prove the harness works; the numbers are not "
            "meant to be quoted.")
    add("")
    add("Every number is a ratio to a baseline measured in the same run: configurations are interleaved round by "
        f"round ({cfg.rounds} rounds, the starting configuration rotating), and each ratio is the median over the "
        "rounds of (configuration / bare kernel in the same round), with min-max. Each agent is given "
        f"{cfg.settle:.0f} s after it first answers before a measurement starts (the JVM's start-up).")
    add("")
    add("Configurations: **bare** no agent; **default** the agent with RFC 4898's default controls (Path, Stack, App, "
        "Tune tables off); **all** every table on; **seed** the design the project started from, one ring-buffer "
        "record per variable update (section 6).")

    add("")
    add("## 1. Fast-path overhead")
    add("")
    add(f"`iperf3 -c SERVER -t {cfg.seconds}` (bulk, Gbit/s received) and `sockperf pp --tcp -t {cfg.seconds} "
        "--mps=max` (one request in flight: transactions/s and p99 round-trip latency), on loopback and across a "
        "veth pair to a network namespace (198.18.250.0/30); servers pinned to CPU 0 and clients to CPU 1 "
        "(`taskset`), with `kernel.bpf_stats_enabled=0` as on any host that does not profile BPF (section 2 "
        "measures with it on, separately). Both ends run on this host, so every segment passes the agent's programs twice (egress at "
        "the sender, ingress at the receiver): a host talking to another machine pays half. Targets with default tables: bulk >= 0.98, "
        "request/response >= 0.97 of bare.")
    add("")
    add("| path | configuration | bulk Gbit/s (median, min-max) | bulk ratio | rr transactions/s | rr ratio | "
        "rr p99 us | p99 ratio |")
    add("|---|---|---|---|---|---|---|---|")
    fp = results["fast_path"]
    summary = {}
    for path in cfg.paths:
        for mode in MODES:
            rows = [r for r in fp if r["path"] == path and r["mode"] == mode]
            if not rows:
                continue
            cells = [path, mode]
            for key in ("bulk_gbits", "rr_tps", "rr_p99_us"):
                vals = [r[key] for r in rows]
                digits = 2 if key == "bulk_gbits" else 0 if key == "rr_tps" else 1
                cells.append(f"{median(vals):.{digits}f} ({min(vals):.{digits}f}-{max(vals):.{digits}f})")
                if mode == "bare":
                    cells.append("1")
                else:
                    ratios = pair_ratios(fp, mode, key).get(path, [])
                    summary[(path, mode, key)] = median(ratios)
                    cells.append(f"**{median(ratios):.3f}** ({min(ratios):.3f}-{max(ratios):.3f})")
            add("| " + " | ".join(cells) + " |")
    add("")
    for path in cfg.paths:
        b, rr = summary.get((path, "default", "bulk_gbits")), summary.get((path, "default", "rr_tps"))
        if b is not None:
            add(f"- {path}, default tables: bulk {b:.3f} ({'meets' if b >= 0.98 else 'misses'} 0.98), "
                f"request/response {rr:.3f} ({'meets' if rr >= 0.97 else 'misses'} 0.97).")
    for path in cfg.paths:
        bare = [r for r in fp if r["path"] == path and r["mode"] == "bare"]
        if len(bare) > 1:
            spread = {k: 100 * (max(r[k] for r in bare) - min(r[k] for r in bare)) / median([r[k] for r in bare])
                      for k in ("bulk_gbits", "rr_tps")}
            add(f"- {path}: the bare kernel alone varied by {spread['bulk_gbits']:.0f}% (bulk) and "
                f"{spread['rr_tps']:.0f}% (request/response) of its median from round to round (the host's other "
                "load): where that is more than a few percent, this run does not resolve the targets' few percent.")
    # the bulk sender's TCP counters per second, median over rounds, by (path, mode, counter)
    bulk_tcp = {(path, mode, key): median([r[f"bulk_{key}"] for r in fp if r["path"] == path
                                           and r["mode"] == mode and f"bulk_{key}" in r])
                for path in cfg.paths for mode in ("bare", "default") for key in BULK_TCP_COUNTERS}
    for path in cfg.paths:
        if any("bulk_TcpRetransSegs" in r for r in fp if r["path"] == path):
            def per_s(mode, key):
                return bulk_tcp[(path, mode, key)]
            add(f"- {path}, bulk, per second (medians): the sender retransmitted "
                f"{per_s('bare', 'TcpRetransSegs'):.0f} segments, detected reordering "
                f"{per_s('bare', 'TcpExtTCPSACKReorder'):.0f} times and received "
                f"{per_s('bare', 'TcpExtTCPDSACKRecv'):.0f} D-SACKs (a retransmitted segment had arrived already) "
                f"with the bare kernel; {per_s('default', 'TcpRetransSegs'):.0f}, "
                f"{per_s('default', 'TcpExtTCPSACKReorder'):.0f} and {per_s('default', 'TcpExtTCPDSACKRecv'):.0f} "
                "with default tables (its TcpRetransSegs, TcpExtTCPSACKReorder, TcpExtTCPDSACKRecv).")
    resent = {path: bulk_tcp[(path, "bare", "TcpRetransSegs")] for path in cfg.paths}
    if {"loopback", "veth"} <= resent.keys() and resent["veth"] > 10 * (resent["loopback"] + 1):
        add("- So veth's bulk transfer, unlike loopback's, runs through recoveries even on the bare kernel, started "
            "by segments arriving out of order: its rate depends on when those recoveries start and end, which "
            "the programs' time per segment shifts. A veth bulk ratio measures that timing as well as the "
            "programs' cost; request/response (one segment in flight) does not reorder.")
    # loopback against veth: what a run of each per-segment program costs on either path, from section 2
    # (the same rerun measures both; throughput from the stats-off rounds would mix two runs)
    per_run = {}
    for path in cfg.paths:
        for program in ("estats_ingress", "estats_egress"):
            ns = [r["ns_per_run"] for r in results["programs"] if r["path"] == path and r["mode"] == "default"
                  and r["workload"] == "bulk" and r["program"] == program]
            if ns:
                per_run[(path, program)] = median(ns)
    if len(per_run) == 4:
        programs = ("estats_ingress", "estats_egress")
        # % more a run costs on veth than on loopback
        diffs = {p: 100 * (per_run[("veth", p)] - per_run[("loopback", p)]) / per_run[("loopback", p)]
                 for p in programs}

        def compared(program):
            diff = diffs[program]
            how = "the same" if abs(diff) < 10 else f"{abs(diff):.0f}% {'more' if diff > 0 else 'less'} on veth"
            return (f"{program} {per_run[('loopback', program)]:.0f} ns a run on loopback and "
                    f"{per_run[('veth', program)]:.0f} on veth ({how})")
        costs = ", ".join(compared(p) for p in programs)
        add(f"- Loopback against veth, default tables in bulk (section 2): {costs}. Each segment runs them once on "
            "either path: a veth segment meets no program that a loopback one does not (the namespace's end runs "
            "the same cgroup programs). " + (
                "So a ratio lower on one path than on the other by less than the rounds' spread is the host's "
                "noise, not the path." if all(abs(d) < 10 for d in diffs.values()) else
                "A run costs more on veth in this run: that, and the rounds' spread, is what a lower veth ratio "
                "is made of."))

    add("")
    add("## 2. Per-program cost")
    add("")
    add(f"With `kernel.bpf_stats_enabled=1`, `run_time_ns / run_cnt` of each BPF program (from `bpftool prog show`) "
        f"during the same workloads run again for {cfg.cost_seconds} s right after each round's measurement above "
        "(the statistics' clock reads slow every program run, so throughput is never measured with them on): "
        "nanoseconds per event and events per second, medians over rounds.")
    add("")
    add("| program | workload | path | default: runs/s | default: ns/run | all: runs/s | all: ns/run |")
    add("|---|---|---|---|---|---|---|")
    progs = results["programs"]
    for name in sorted({r["program"] for r in progs if r["program"].startswith("estats_")}):
        for workload in ("bulk", "rr"):
            for path in cfg.paths:
                cells = [name, workload, path]
                for mode in ("default", "all"):
                    rows = [r for r in progs if r["program"] == name and r["workload"] == workload
                            and r["path"] == path and r["mode"] == mode]
                    cells += [f"{median([r['runs_per_s'] for r in rows]):.0f}" if rows else "-",
                              f"{median([r['ns_per_run'] for r in rows]):.0f}" if rows else "-"]
                if cells[3:] != ["-"] * 4:
                    add("| " + " | ".join(cells) + " |")
    add("")
    add("Programs that did not run during a workload are not listed (`estats_dump` and `estats_tune` run only "
        "when a request needs the kernel's state).")

    add("")
    add("## 3. Walk throughput")
    add("")
    wi = results.get("walk_info", {})
    add(f"{wi.get('connections', 0)} open TCP connections on loopback (both ends on this host: "
        f"{2 * wi.get('connections', 0)} sockets, each a row), held by `loadgen hold` processes. The same client, "
        "`snmpbulkwalk -v2c` with `-Cr10` and with `-Cr50`, walks the agent's `tcpEStatsPerfTable` and net-snmp's own snmpd "
        f"({wi.get('snmpd', '?')}, Debian package, on another loopback port) walking TCP-MIB "
        "`tcpConnectionTable`; the agent's own `tcpConnectionTable` is walked too, each round walking the three "
        "one after the other, first cold, then warm. **cold**: the walk reads the kernel's state first, as a poll "
        "does that comes less often than either server keeps what it read: the agent's snapshot is older than "
        "estatsSnapshotMaxAge (0.5 s), so the walk starts with a kernel pass, and snmpd's cache of "
        "tcpConnectionTable is emptied just before (`nsCacheStatus` set to empty), so it reads /proc again. "
        "**warm**: the walk is answered from what the server holds: a GETNEXT just before took the agent's "
        "pass, and snmpd answers from the cache its cold walk filled (snmpd keeps tcpConnectionTable for "
        f"{wi.get('snmpd_cache_timeout_s', '?')} s, its `nsCacheTimeout`; polls closer together than that are "
        "all warm on snmpd's side and cold on the agent's). The ratio is the median over rounds of (agent's "
        "varbinds/s / snmpd's in the same round, -Cr and start), with min-max: the host's load changes from round "
        "to round. Target: our varbinds/s >= 1.5 x snmpd's at the same -Cr. Heap allocated per varbind: what the "
        "agent's threads allocated during the walk (`jcmd Thread.print -e` before and after it) over its varbinds, "
        "the garbage a poll leaves for the collector.")
    add("")
    add("| -Cr | start | server | table | varbinds | wall s (median) | varbinds/s (median, min-max) | server CPU s | "
        "heap allocated per varbind, B | ratio to snmpd |")
    add("|---|---|---|---|---|---|---|---|---|---|")
    walks = results["walk"]
    for repetitions in WALK_REPETITIONS:
        for start in ("cold", "warm"):
            at = [r for r in walks if r.get("repetitions", 50) == repetitions and r.get("start", "cold") == start]
            snmpd_rate = {r["round"]: r["varbinds_per_s"] for r in at if r["server"] == "snmpd"}
            for server, table, _ in WALK_TABLES:
                rows = [r for r in at if r["server"] == server and r["table"] == table]
                if rows:
                    rates = [r["varbinds_per_s"] for r in rows]
                    ratios = [r["varbinds_per_s"] / snmpd_rate[r["round"]] for r in rows if r["round"] in snmpd_rate]
                    ratio = f"**{median(ratios):.2f}** ({min(ratios):.2f}-{max(ratios):.2f})" if ratios else "-"
                    per_varbind = [r["allocated_bytes"] / r["varbinds"] for r in rows if "allocated_bytes" in r]
                    allocated = f"{median(per_varbind):.0f}" if per_varbind else "-"
                    add(f"| {repetitions} | {start} | {server} | {table} | {median([r['varbinds'] for r in rows]):.0f} | "
                        f"{median([r['seconds'] for r in rows]):.2f} | {median(rates):.0f} "
                        f"({min(rates):.0f}-{max(rates):.0f}) | {median([r['server_cpu_seconds'] for r in rows]):.2f} "
                        f"| {allocated} | {ratio} |")

    add("")
    add("## 4. Churn")
    add("")
    add(f"`loadgen churn` opens and closes connections on loopback at a paced rate (the server end closes first), "
        f"with the agent running its default configuration; each step starts a fresh agent, churns {cfg.churn_warmup} s "
        f"to warm it up (the JVM compiles the event path), then {cfg.churn_seconds} s measured. "
        "Each connection is two sockets, each established and closed once: 4 lifecycle events (warm-up included). Lost connections are "
        "the events the kernel could not deliver (ring buffer and spill map full, counted by the BPF program) plus "
        "runs of the state tracepoint the kernel skipped (`recursion_misses` of estats_set_state in bpftool; it sends "
        "the closes of sockets that sockops, never skipped, does not follow: those older than the agent, which on "
        "Linux 6.12 and newer the agent's first pass hands to sockops, and then detaches the tracepoint: "
        "the column says whether it was attached during the churn). "
        "Events that waited in the spill map are late, not lost; a kernel pass may find such a close first "
        "(found by passes). The agent logs its counts at stop. Agent "
        "CPU is its utime+stime over the measured churn's wall time (100% = one CPU), and per connection made "
        "(its two sockets' four events).")
    add("")
    add("| target conn/s | made (warm-up + measured) | achieved conn/s (measured) | events expected | from ring buffer | from spill map | lost in "
        "kernel | state tracepoint | state tracepoint runs skipped | found by passes | agent CPU % | "
        "agent CPU us per connection |")
    add("|---|---|---|---|---|---|---|---|---|---|---|---|")
    best, clean_so_far = 0, True
    for r in results["churn"]:
        add(f"| {r['target_per_s']} | {r['warmup_made']} + {r['made']} | {r['achieved_per_s']:.0f} | {r['expected_events']} | "
            f"{r['ring_buffer_events']} | {r['spill_map_events']} | {r['lost_in_kernel']} | "
            f"{detached(r)} | "
            f"{r['tracepoint_recursion_misses']} | {r['repaired_by_passes']} | {r['agent_cpu_percent']:.1f} | "
            f"{r.get('agent_cpu_us_per_connection', float('nan')):.0f} |")
        # conservative: the rate counts only if it and every lower rate lost nothing
        clean_so_far = clean_so_far and r["lost_in_kernel"] == 0 and r["tracepoint_recursion_misses"] == 0
        if clean_so_far:
            best = max(best, r["achieved_per_s"])
    add("")
    top = max((r["achieved_per_s"] for r in results["churn"]), default=0)
    add(f"Highest rate followed with zero lost connections, at that rate and every lower one: **{best:.0f} "
        "connections/s**" + (" (the highest the load generator reached on this machine; the agent's limit is above it)."
                             if best >= top * 0.99 else ". Recursion misses are tracepoint runs the kernel skipped "
                             "because the same program was already running on that CPU (nested in an interrupt): each may hide an establishment "
                             "or close (kernel passes find those of sockets still open), or an unrelated state change."))

    add("")
    add("## 5. Memory")
    add("")
    add("The agent with every table on (started through `bin/estats-agent`, so with its default Java options "
        f"`{launcher_java_options()}`), after a walk of "
        "`tcpEStatsPerfTable`, with N connections held open on loopback (2N sockets): resident set size, Java heap in use after a full GC (`jcmd GC.run`), and the `bytes_memlock` "
        "of its BPF maps (`bpftool map show`). SK_STORAGE values are allocated with each socket and charged to the "
        "socket, not to the map, so the map size does not grow with connections.")
    add("")
    add("| connections | rows | agent RSS MiB | RSS peak so far MiB | of it file-backed MiB | heap committed MiB | "
        "heap after GC MiB | BPF maps MiB |")
    add("|---|---|---|---|---|---|---|---|")
    for r in results["memory"]:
        mib = {k: f"{r[k] / 1024:.1f}" if k in r else "-" for k in
               ("agent_rss_kib", "agent_rss_peak_kib", "rss_file_kib", "heap_committed_kib", "heap_after_gc_kib")}
        add(f"| {r['connections']} | {r['perf_rows']} | {mib['agent_rss_kib']} | {mib['agent_rss_peak_kib']} | "
            f"{mib['rss_file_kib']} | {mib['heap_committed_kib']} | {mib['heap_after_gc_kib']} | "
            f"{r['bpf_map_bytes'] / 2**20:.1f} |")
    add("")
    add("File-backed pages are the JVM's code (libjvm.so) and its class data sharing archive, shared with every "
        "other JVM of the host; the rest is the heap as committed, class metadata, compiled code, native "
        "allocations and the lifecycle ring buffer (mapped twice: a 4 MiB buffer shows as 8 MiB).")
    floor = results.get("memory_floor", [])
    if floor:
        add("")
        add("The floor under these numbers, measured in the same run: a JVM started with the same options that runs "
            "nothing (`bench/src/JvmFloor.java` sleeping), and the same JVM after loading, without initialising or "
            "running them, every class the idle agent had loaded (its `jcmd VM.classes`: Log4j 2, SNMP4J and "
            "SNMP4J-Agent, picocli, the JDK's foreign-function classes, the agent's own).")
        add("")
        add("| JVM | classes loaded | RSS MiB | of it file-backed MiB |")
        add("|---|---|---|---|")
        for f in floor:
            add(f"| {f['what']} | {f['classes_loaded']} | {f['rss_kib'] / 1024:.1f} | {f['rss_file_kib'] / 1024:.1f} |")
    if results["memory"]:
        add("")
        add("BPF maps: " + ", ".join(f"{k} ({v['type']}, {v['bytes'] / 1024:.0f} KiB)"
                                     for k, v in sorted(results["memory"][-1]["maps"].items())) + ".")

    add("")
    add("## 6. Seed design: one ring-buffer record per variable update")
    add("")
    add("`bench/src/seed.bpf.c`, a throwaway program kept only for this comparison, on the same hooks as the agent's "
        "per-packet programs (cgroup_skb ingress and egress on the cgroup2 root): every TCP segment sends 8 records of "
        "32 bytes (one per variable it updates) to a 4 MiB ring buffer, and `bench/src/seed.c` drains them and "
        "accumulates them per connection in user space, as an agent of that design would. It runs in the same rounds "
        "as section 1.")
    add("")
    add("| path | bulk ratio: seed | bulk ratio: default | rr ratio: seed | rr ratio: default | records/s | dropped | "
        "consumer CPU % |")
    add("|---|---|---|---|---|---|---|---|")
    for path in cfg.paths:
        sc = [r for r in results["seed_consumer"] if r["path"] == path]
        if not sc:
            continue
        add(f"| {path} | **{summary.get((path, 'seed', 'bulk_gbits'), float('nan')):.3f}** | "
            f"{summary.get((path, 'default', 'bulk_gbits'), float('nan')):.3f} | "
            f"**{summary.get((path, 'seed', 'rr_tps'), float('nan')):.3f}** | "
            f"{summary.get((path, 'default', 'rr_tps'), float('nan')):.3f} | "
            f"{median([r['records'] / r['seconds'] for r in sc]):.0f} | {sum(r['dropped'] for r in sc)} | "
            f"{median([100 * r['cpu_seconds'] / r['seconds'] for r in sc]):.1f} |")
    seed_progs = [r for r in progs if r["program"].startswith("seed_")]
    if seed_progs:
        add("")
        add("Per program (ns/run, median over rounds and paths): " + ", ".join(
            f"{name} {median([r['ns_per_run'] for r in seed_progs if r['program'] == name]):.0f} ns"
            for name in sorted({r['program'] for r in seed_progs})) + "; the agent's estats_ingress and "
            "estats_egress in the same rounds: " + ", ".join(
            f"{name} {median([r['ns_per_run'] for r in progs if r['program'] == name and r['mode'] == 'default']):.0f}"
            " ns" for name in ("estats_ingress", "estats_egress")
            if any(r["program"] == name and r["mode"] == "default" for r in progs)) + ".")

    add("")
    add("## 7. Network namespaces")
    add("")
    add("The same number of loopback connections (both ends held by `loadgen hold`) in the agent's own namespace "
        "or spread over namespaces of our own (`ip netns`), each a context `netns:INODE`. The agent runs as root, so "
        "it may start an `iter/tcp` pass inside any namespace; each such pass walks the host's whole established "
        "hash. **default GET**: "
        f"{cfg.ns_requests} SNMPv3 `snmpget`s of a Perf cell in the default context, 0.6 s apart so that each takes a "
        "kernel pass (the snapshot is then older than estatsSnapshotMaxAge), which lists the agent's own namespace "
        "whole: wall time per request (the snmpget process included) and the agent's CPU per request. **context "
        "GET**: the same in the context of one of the namespaces (`-n`), whose pass lists that one too. **idle**: the "
        f"agent's CPU over {cfg.ns_idle_seconds} s without requests, when only the pass of every namespace every 5 s (which "
        "finds closes and establishments whose event was lost) runs. **walk**: `snmpbulkwalk -v3 -Cr50` of "
        "tcpEStatsPerfTable in one context (the agent's own namespace alone, else one of the 100 with `-n`), started "
        "once the snapshot is older than estatsSnapshotMaxAge, so that it pays its kernel pass. Ratio: to the single "
        "namespace in the same round.")
    add("")
    add("| layout | sockets | contexts | default GET ms (median, min-max) | ratio | agent CPU ms per default GET | "
        "ratio | context GET ms | ratio | idle agent CPU % | ratio | walk varbinds/s | ratio |")
    add("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    ns_rows = results["namespaces"]
    base_layout = next(iter(cfg.ns_layouts)) if cfg.ns_layouts else None
    for layout, (count, per_ns) in cfg.ns_layouts.items():
        rows = [r for r in ns_rows if r["layout"] == layout]
        if not rows:
            continue

        def ratio(key):
            vals = []
            for r in rows:
                base = [b for b in ns_rows if b["layout"] == base_layout and b["round"] == r["round"]]
                if base and base[0][key]:
                    vals.append(r[key] / base[0][key])
            return f"**{median(vals):.2f}** ({min(vals):.2f}-{max(vals):.2f})" if vals else "-"

        def spread(key, digits=1):
            v = [r[key] for r in rows]
            return f"{median(v):.{digits}f} ({min(v):.{digits}f}-{max(v):.{digits}f})"

        add(f"| {layout} | {2 * max(count, 1) * per_ns} | {rows[0]['contexts']} | {spread('pass_ms')} | "
            f"{ratio('pass_ms')} | {spread('pass_agent_cpu_ms')} | {ratio('pass_agent_cpu_ms')} | "
            f"{spread('context_pass_ms')} | {ratio('context_pass_ms')} | {spread('idle_agent_cpu_pct', 2)} | "
            f"{ratio('idle_agent_cpu_pct')} | {spread('walk_varbinds_per_s', 0)} | {ratio('walk_varbinds_per_s')} |")

    add("")
    add("## 8. Soak")
    add("")
    add(f"An NMS polling a busy host for {cfg.soak_seconds / 60:.0f} minutes, {cfg.soak_rounds} rounds: "
        f"{cfg.soak_connections} loopback connections held, `loadgen churn` opening and closing "
        f"{cfg.soak_churn_per_s} more a second, `tcpEStatsConnTableLatency 5` (closed rows stay 5 s), and "
        f"`snmpbulkwalk -v2c -Cr50` of tcpEStatsPerfTable every {cfg.soak_walk_every} s (the next walk starts at once "
        "when one takes longer); the agent started through `bin/estats-agent` with its default options, its RSS read "
        "every second. Target: RSS at most 128 MiB at its peak.")
    add("")
    add("| round | walks (failed) | rows per walk (median) | walk s (median, max) | RSS at 1 min MiB | "
        "RSS peak MiB | RSS last minute MiB (median) | heap after GC at the end MiB | connections churned |")
    add("|---|---|---|---|---|---|---|---|---|")
    for r in results["soak"]:
        rss = [x["rss_kib"] / 1024 for x in r["samples"]]
        first = [x["rss_kib"] / 1024 for x in r["samples"] if x["t"] <= 60] or rss
        last = [kib / 1024 for kib in last_minute_rss_kib(r["samples"])]
        secs = [w["seconds"] for w in r["walks"]]
        add(f"| {r['round']} | {len(r['walks'])} ({sum(1 for w in r['walks'] if not w['ok'])}) | "
            f"{median([w['varbinds'] for w in r['walks']]) / 62:.0f} | {median(secs):.2f} ({max(secs):.2f}) | "
            f"{first[-1]:.1f} | {max(rss):.1f} | {median(last):.1f} | {r['heap_after_gc_kib'] / 1024:.1f} | "
            f"{r['churned']} |")
    if results["soak"]:
        peaks = [max(x["rss_kib"] for x in r["samples"]) / 1024 for r in results["soak"]]
        add("")
        add(f"RSS peak over the rounds: {median(peaks):.1f} MiB (median; {min(peaks):.1f}-{max(peaks):.1f}): "
            f"{'meets' if max(peaks) <= 128 else 'misses'} 128 MiB. Rows per walk: varbinds / 62 (the table's "
            "columns).")
        add("")
        add("![RSS and walk time over the soak](benchmarks-soak.png)")

    add("")
    add("## 9. Java options")
    add("")
    add(f"The soak of section 8, {cfg.java_options_seconds} s long, {cfg.java_options_rounds} rounds, with the "
        "launcher's Java options (the serial collector, the JVM's two compilers) and with the same options but G1 in "
        "place of the serial collector, or only the C1 compiler (`-XX:TieredStopAtLevel=1`), the order rotating "
        "round by round: the resident set and the CPU each costs the agent under an NMS's polls. Heap committed is "
        "read at the end, before the full GC that gives the heap after GC; agent CPU is its utime+stime over the "
        "round, start-up included.")
    add("")
    add("| Java options | RSS peak MiB (median, min-max) | RSS last minute MiB | heap committed at the end MiB | "
        "heap after GC MiB | agent CPU s | walk s (median) | walks (failed) |")
    add("|---|---|---|---|---|---|---|---|")
    by_name = {}
    for r in results["java_options"]:
        by_name.setdefault(r["name"], []).append(r)
    for name, rows in by_name.items():
        def mib(key):
            v = [r[key] / 1024 for r in rows]
            return f"{median(v):.1f} ({min(v):.1f}-{max(v):.1f})"
        add(f"| {name} | {mib('rss_peak_kib')} | {mib('rss_last_minute_kib')} | {mib('heap_committed_kib')} | "
            f"{mib('heap_after_gc_kib')} | {median([r['agent_cpu_s'] for r in rows]):.1f} | "
            f"{median([r['walk_seconds_median'] for r in rows]):.2f} | "
            f"{sum(r['walks'] for r in rows)} ({sum(r['walks_failed'] for r in rows)}) |")
    if "serial" in by_name:
        def ratio(name, key):
            return median([o[key] / s[key] for o in by_name[name] for s in by_name["serial"]
                           if o["round"] == s["round"]])
        add("")
        for name in [n for n in by_name if n != "serial"]:
            add(f"- {name} / serial in the same round (median): RSS peak {ratio(name, 'rss_peak_kib'):.2f}, last "
                f"minute {ratio(name, 'rss_last_minute_kib'):.2f}, agent CPU {ratio(name, 'agent_cpu_s'):.2f}, "
                f"walk time {ratio(name, 'walk_seconds_median'):.2f}.")
        add("")
        add("The serial collector grows its heap rather than collect the old generation (objects that outlive a "
            "young collection, such as a walk's snapshot, are promoted), up to the cap; G1 grows it only when "
            "collecting takes more than its share of time, but needs more memory of its own and more CPU per "
            "object. C1 alone leaves out the optimising compiler's memory (its arenas while it compiles, and "
            "its code) and its compile time, and runs slower code: section 3's walks and section 4's churn "
            "are where that shows.")

    add("")
    add("## Rerun")
    add("")
    add("    bench/run                  # everything, about 70 minutes; writes docs/benchmarks.{md,csv,json,png}")
    add("    bench/run --only soak,walk # those sections again, the others kept from the last run")
    add("    bench/run --quick          # one short round of everything, about two minutes; writes agent/target/bench-quick")
    (out_dir / "benchmarks.md").write_text("\n".join(L) + "\n")
    if results["soak"]:
        soak_plot(results, out_dir)


def machine():
    cpu_model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), platform.processor())
    mem = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")))
    java = run([str(JAVA), "-version"]).stderr.splitlines()[0]
    return {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cpus": os.cpu_count(), "cpu_model": cpu_model, "memory_gib": round(mem / 2**20, 1),
            "kernel": platform.release(), "java": java}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="one short round of everything (about a minute)")
    ap.add_argument("--out", type=Path, help="where benchmarks.md/.csv/.json go (default: docs/, or for --quick "
                    "agent/target/bench-quick: a quick run never replaces the committed results)")
    ap.add_argument("--build", type=Path, required=True, help="where bench/run built loadgen and seed")
    ap.add_argument("--only", help="comma-separated sections to run again (fast_path, memory, walk, churn, "
                    "namespaces, soak, java_options); the others are kept from the last results in the output directory")
    ap.add_argument("--report", action="store_true", help="run nothing: write benchmarks.md and .csv again from "
                    "the results in the output directory (after a change to how they are reported)")
    cfg = ap.parse_args()
    if cfg.out is None:
        cfg.out = ROOT / "agent" / "target" / "bench-quick" if cfg.quick else ROOT / "docs"
    if cfg.quick:
        cfg.rounds, cfg.seconds, cfg.cost_seconds, cfg.paths, cfg.settle = 1, 1, 1, ["loopback", "veth"], 1.0
        cfg.walk_connections, cfg.walk_rounds = 500, 1
        cfg.churn_rates, cfg.churn_seconds, cfg.churn_warmup = [1000], 1, 1
        cfg.memory_levels = [0, 100]
        cfg.ns_layouts, cfg.ns_rounds = {"1 namespace": (0, 100), "5 namespaces": (5, 20)}, 1
        cfg.ns_requests, cfg.ns_idle_seconds = 3, 1
        cfg.soak_rounds, cfg.soak_seconds, cfg.soak_connections, cfg.soak_churn_per_s, cfg.soak_walk_every = \
            1, 15, 100, 50, 5
        cfg.java_options_rounds, cfg.java_options_seconds = 1, 10
    else:
        cfg.rounds, cfg.seconds, cfg.cost_seconds, cfg.paths, cfg.settle = 5, 5, 2, ["loopback", "veth"], 4.0
        cfg.walk_connections, cfg.walk_rounds = 10_000, 5
        cfg.churn_rates, cfg.churn_seconds, cfg.churn_warmup = [1000, 2000, 5000, 10000, 20000], 20, 3
        cfg.memory_levels = [0, 1000, 10_000]
        cfg.ns_layouts, cfg.ns_rounds = {"1 namespace": (0, 10_000), "100 namespaces": (100, 100)}, 3
        cfg.ns_requests, cfg.ns_idle_seconds = 20, 10
        cfg.soak_rounds, cfg.soak_seconds, cfg.soak_connections, cfg.soak_churn_per_s, cfg.soak_walk_every = \
            3, 600, 1000, 200, 5
        cfg.java_options_rounds, cfg.java_options_seconds = 3, 150
    sections = {"fast_path": fast_path, "memory": memory, "walk": walk, "churn": churn, "namespaces": namespaces,
                "soak": soak, "java_options": java_options}
    only = [] if cfg.report else cfg.only.split(",") if cfg.only else list(sections)
    unknown = [name for name in only if name not in sections]
    if unknown:
        ap.error(f"unknown section {', '.join(unknown)}; the sections are {', '.join(sections)}")
    # a section's rows: fast_path also fills programs and seed_consumer, walk walk_info, memory memory_floor
    owned = {"fast_path": ("fast_path", "programs", "seed_consumer"), "walk": ("walk", "walk_info"),
             "memory": ("memory", "memory_floor")}
    results = {"fast_path": [], "programs": [], "seed_consumer": [], "walk": [], "churn": [], "memory": [],
               "memory_floor": [], "namespaces": [], "soak": [], "java_options": [], "dates": {}}
    previous = cfg.out / "benchmarks.json"
    if cfg.report and not previous.exists():
        ap.error(f"--report: no results in {cfg.out} to write the report from")
    if (cfg.only or cfg.report) and previous.exists():
        results.update(json.loads(previous.read_text()))
        for name in sections:
            # a section kept from a run before per-section dates has that run's date
            results["dates"].setdefault(name, results["machine"]["date"])
    results["machine"] = machine()
    work = Path(tempfile.mkdtemp(prefix="estats-bench-"))
    try:
        # the program statistics stay on for the sections that read them (churn's skipped runs); the
        # fast path turns them off while it measures throughput
        with bpf_stats(True):
            # memory first of the connection-heavy sections: the others leave thousands of TIME_WAIT
            # sockets behind (rows of tcpConnectionTable) for a minute
            for name, section in sections.items():
                if name in only:
                    for key in owned.get(name, (name,)):
                        results[key] = {} if key == "walk_info" else []
                    section(cfg, work, cfg.build, results)
                    results["dates"][name] = results["machine"]["date"]
        report(cfg, results, cfg.out)
        log(f"wrote {cfg.out / 'benchmarks.md'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
