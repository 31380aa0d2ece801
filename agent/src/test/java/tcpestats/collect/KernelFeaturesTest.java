package tcpestats.collect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tcpestats.bpf.BpfException;
import tcpestats.bpf.KernelBtf;
import tcpestats.support.KernelRequired;
import tcpestats.support.Processes;

import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the agent reads in the kernel's BTF is what bpftool's C dump of the same BTF declares. */
@ExtendWith(KernelRequired.class)
class KernelFeaturesTest {
    private static String vmlinuxH() throws Exception {
        return Processes.run(List.of("bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c"),
                120).stdout();
    }

    /** The parameters of the tracepoint's btf_trace_ typedef, the leading void * excluded; -1 without one. */
    private static int tracepointArguments(String header, String name) {
        Matcher m = Pattern.compile("typedef void \\(\\*btf_trace_" + name + "\\)\\(([^)]*)\\);").matcher(header);
        return m.find() ? m.group(1).split(",").length - 1 : -1;
    }

    private static boolean tcpSockHas(String header, String member) {
        int start = header.indexOf("\nstruct tcp_sock {\n");
        String body = header.substring(start, header.indexOf("\n};\n", start));
        return Pattern.compile("[\\s*]" + member + "(:\\d+)?;").matcher(body).find();
    }

    @Test
    void probesAgreeWithBpftool() throws Exception {
        String h = vmlinuxH();
        EnumSet<KernelFeature> expected = EnumSet.noneOf(KernelFeature.class);
        if (tracepointArguments(h, "tcp_cong_state_set") >= 0) {
            expected.add(KernelFeature.CONG_STATE_TRACEPOINT);
        }
        if (h.contains("\tBPF_FUNC_loop = ")) {
            expected.add(KernelFeature.BPF_LOOP);
        }
        if (h.contains("\tBPF_PROG_TYPE_SYSCALL = ")) {
            expected.add(KernelFeature.SYSCALL_PROGRAMS);
        }
        if (tracepointArguments(h, "sock_send_length") >= 0) {
            expected.add(KernelFeature.SOCK_SEND_LENGTH);
        }
        if (tracepointArguments(h, "sk_data_ready") >= 0) {
            expected.add(KernelFeature.SK_DATA_READY);
        }
        if (tcpSockHas(h, "total_rto") && tcpSockHas(h, "total_rto_recoveries")) {
            expected.add(KernelFeature.TOTAL_RTO);
        }
        if (tracepointArguments(h, "kfree_skb") >= 4) {
            expected.add(KernelFeature.KFREE_SKB_RX_SK);
        }
        if (tcpSockHas(h, "received_ce")) {
            expected.add(KernelFeature.RECEIVED_CE);
        }
        if (h.contains("\tTCP_BPF_SOCK_OPS_CB_FLAGS = ")) {
            expected.add(KernelFeature.SOCK_OPS_CB_FLAGS_OPTION);
        }
        assertEquals(expected, KernelFeatures.probe().present());
    }

    @Test
    void readsTracepointArgumentsMembersAndEnumerators() throws Exception {
        String h = vmlinuxH();
        try (KernelBtf btf = KernelBtf.load()) {
            assertEquals(tracepointArguments(h, "tcp_probe"), btf.tracepointArguments("tcp_probe").orElse(-1));
            assertEquals(3, btf.tracepointArguments("inet_sock_set_state").orElse(-1));
            assertTrue(btf.tracepointArguments("no_such_tracepoint").isEmpty());
            // icsk_ca_state is a bitfield; skc_family lives in sock_common's anonymous members
            assertTrue(btf.hasMember("inet_connection_sock", "icsk_ca_state"));
            assertTrue(btf.hasMember("sock_common", "skc_family"));
            assertTrue(btf.hasMember("sock_common", "skc_daddr"), "member of an anonymous union");
            assertFalse(btf.hasMember("tcp_sock", "no_such_member"));
            assertFalse(btf.hasMember("no_such_struct", "snd_cwnd"));
            assertTrue(btf.hasEnumerator("bpf_func_id", "BPF_FUNC_map_lookup_elem"));
            assertFalse(btf.hasEnumerator("bpf_func_id", "BPF_FUNC_no_such_helper"));
            // TCP_BPF_IW (Linux 4.13) is an enumerator of an anonymous enum
            assertTrue(btf.hasEnumerator("TCP_BPF_IW"));
            assertTrue(btf.hasEnumerator("BPF_FUNC_map_lookup_elem"));
            assertFalse(btf.hasEnumerator("TCP_BPF_NO_SUCH_OPTION"));
        }
    }

    @Test
    void aKernelWithoutARequiredFeatureIsRefusedInOneLine() {
        KernelFeatures old = new KernelFeatures(EnumSet.of(KernelFeature.SYSCALL_PROGRAMS));
        BpfException e = assertThrows(BpfException.class, old::requireSupported);
        assertEquals("this kernel is too old: the agent needs Linux 6.1 or newer, and this one lacks the "
                + "tcp_cong_state_set tracepoint, Linux 5.19; the bpf_loop helper, Linux 5.17", e.getMessage());
        KernelFeatures.all().requireSupported();
    }
}
