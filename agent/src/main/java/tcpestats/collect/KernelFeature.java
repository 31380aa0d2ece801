package tcpestats.collect;

import tcpestats.bpf.KernelBtf;

import java.util.function.Predicate;

/**
 * What the BPF programs use that a supported kernel may lack, each probed in the running
 * kernel's BTF, as CO-RE will find it. A required feature missing means the agent cannot
 * run; an optional one costs only the objects that need it (the registry names them) and
 * the program that uses it, which is then not loaded.
 */
public enum KernelFeature {
    CONG_STATE_TRACEPOINT("the tcp_cong_state_set tracepoint", "5.19", true, null,
            btf -> btf.tracepointArguments("tcp_cong_state_set").isPresent()),
    BPF_LOOP("the bpf_loop helper", "5.17", true, null,
            btf -> btf.hasEnumerator("bpf_func_id", "BPF_FUNC_loop")),
    SYSCALL_PROGRAMS("BPF syscall programs", "5.14", true, null,
            btf -> btf.hasEnumerator("bpf_prog_type", "BPF_PROG_TYPE_SYSCALL")),

    SOCK_SEND_LENGTH("the sock_send_length tracepoint", "6.3", false, "estats_send_length",
            btf -> btf.tracepointArguments("sock_send_length").isPresent()),
    SK_DATA_READY("the sk_data_ready tracepoint", "6.6", false, "estats_data_ready",
            btf -> btf.tracepointArguments("sk_data_ready").isPresent()),
    TOTAL_RTO("tcp_sock.total_rto", "6.7", false, null,
            btf -> btf.hasMember("tcp_sock", "total_rto") && btf.hasMember("tcp_sock", "total_rto_recoveries")),
    KFREE_SKB_RX_SK("the kfree_skb tracepoint's rx_sk argument", "6.11", false, "estats_kfree_skb",
            btf -> btf.tracepointArguments("kfree_skb").orElse(0) >= 4),
    RECEIVED_CE("tcp_sock.received_ce", "6.18", false, null,
            btf -> btf.hasMember("tcp_sock", "received_ce")),
    /** Without it the closes of sockets older than the agent come from the state tracepoint. */
    SOCK_OPS_CB_FLAGS_OPTION("bpf_setsockopt's TCP_BPF_SOCK_OPS_CB_FLAGS", "6.12", false, null,
            btf -> btf.hasEnumerator("TCP_BPF_SOCK_OPS_CB_FLAGS"));

    /** The oldest kernel the agent runs on: it has every required feature and is tested in CI. */
    public static final String MINIMUM_KERNEL = "6.1";

    private final String description;
    private final String since;
    private final boolean required;
    private final String program;
    private final Predicate<KernelBtf> probe;

    KernelFeature(String description, String since, boolean required, String program, Predicate<KernelBtf> probe) {
        this.description = description;
        this.since = since;
        this.required = required;
        this.program = program;
        this.probe = probe;
    }

    /** What the kernel must have, in the kernel's words: "tcp_sock.total_rto". */
    public String description() {
        return description;
    }

    /** The mainline release that brought it: "6.7". */
    public String since() {
        return since;
    }

    /** "tcp_sock.total_rto, Linux 6.7" */
    public String need() {
        return description + ", Linux " + since;
    }

    /** Without it the agent does not start. */
    public boolean required() {
        return required;
    }

    /** The BPF program that needs it and is not loaded without it, or null. */
    public String program() {
        return program;
    }

    boolean presentIn(KernelBtf btf) {
        return probe.test(btf);
    }
}
