package tcpestats.collect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Namespaces from /proc/PID/ns/net links and /run/netns names, with a process's cgroup for the log. */
class NetworkNamespacesTest {
    private static void process(Path proc, long pid, long netns, String cgroup) throws Exception {
        Path dir = Files.createDirectories(proc.resolve(pid + "/ns"));
        Files.createSymbolicLink(dir.resolve("net"), Path.of("net:[" + netns + "]"));
        Files.writeString(proc.resolve(pid + "/cgroup"), "0::" + cgroup + "\n");
    }

    @Test
    void namespacesOfProcessesAndNamesAreListedByInode(@TempDir Path dir) throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        Path run = Files.createDirectories(dir.resolve("netns"));
        process(proc, 1, 4026531840L, "/init.scope");
        process(proc, 4242, 4026532291L, "/system.slice/docker-3f2a.scope");
        process(proc, 4243, 4026532291L, "/system.slice/docker-3f2a.scope");
        Files.createDirectories(proc.resolve("self")); // not a pid
        Path named = Files.createFile(run.resolve("web"));
        long namedInode = ((Number) Files.getAttribute(named, "unix:ino")).longValue();

        Map<Long, NetworkNamespaces.Namespace> all = new NetworkNamespaces(proc, run, 0).list();
        assertEquals(3, all.size());
        NetworkNamespaces.Namespace docker = all.get(4026532291L);
        assertEquals(4242, docker.pid());
        assertEquals("pid 4242 in /system.slice/docker-3f2a.scope", docker.describe());
        assertEquals(List.of("web"), all.get(namedInode).names());
        assertEquals("ip netns web", all.get(namedInode).describe());
        assertEquals(4026531840L, NetworkNamespaces.inodeOf(proc.resolve("1/ns/net")));
    }
}
