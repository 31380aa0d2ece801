package tcpestats.bpf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tcpestats.collect.Cgroups;
import tcpestats.collect.KernelCollector;
import tcpestats.support.KernelRequired;
import tcpestats.support.Processes;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The skipped-run counts the agent reports are the kernel's, read where the kernel keeps them. */
@ExtendWith(KernelRequired.class)
class ProgramStatisticsTest {
    @Test
    void recursionMissesIsReadAtTheRunningKernelsOffset() throws Exception {
        String btf = Processes.run(List.of("bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format",
                "raw"), 60).stdout();
        Matcher struct = Pattern.compile("STRUCT 'bpf_prog_info' size=(\\d+)").matcher(btf);
        assertTrue(struct.find(), "vmlinux BTF has struct bpf_prog_info");
        assertTrue(Integer.parseInt(struct.group(1)) >= BpfProgram.PROG_INFO_BYTES);
        Matcher member = Pattern.compile("'recursion_misses' type_id=\\d+ bits_offset=(\\d+)").matcher(btf);
        assertTrue(member.find(struct.end()), "struct bpf_prog_info has recursion_misses");
        assertEquals(BpfProgram.RECURSION_MISSES_OFFSET * 8, Long.parseLong(member.group(1)));
    }

    @Test
    void skippedRunsAreWhatBpftoolShows() throws Exception {
        try (KernelCollector collector = KernelCollector.start(
                Cgroups.cgroup2Root(Path.of("/proc/self/mountinfo")).orElseThrow())) {
            Map<String, Long> ours = collector.tracepointRunsSkipped();
            Map<String, Long> bpftool = new HashMap<>();
            // "42: tracing  name estats_tcp_probe  tag ...  gpl[  recursion_misses N]"
            Matcher header = Pattern.compile("(?m)^\\d+: \\S+\\s+name (\\S+)\\s.*?(?:recursion_misses (\\d+))?$")
                    .matcher(Processes.run(List.of("bpftool", "prog", "show"), 30).stdout());
            while (header.find()) {
                if (ours.containsKey(header.group(1))) {
                    bpftool.merge(header.group(1), header.group(2) == null ? 0 : Long.parseLong(header.group(2)),
                            Long::sum);
                }
            }
            assertEquals(KernelCollector.TRACEPOINT_PROGRAMS, List.copyOf(ours.keySet()));
            assertEquals(ours, bpftool, "one agent's programs loaded, counted alike");
        }
    }
}
