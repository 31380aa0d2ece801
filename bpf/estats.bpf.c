// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * Kernel side of tcp-estats-agent.
 *
 * - iter/tcp dumps one struct estats_sock_record per TCP socket on demand:
 *   what Linux keeps in tcp_sock is read at query time, never streamed.
 * - What tcp_sock does not keep is accumulated per socket in SK_STORAGE
 *   (struct estats_acc), allocated with the socket and freed with it, by
 *   sockops callbacks, tp_btf tracepoints and cgroup_skb programs.
 * - inet_sock_set_state sends established/closed events on a ring buffer.
 *
 * Work that serves only the Path, Stack or App table is skipped while the
 * table's tcpEStatsControl flag (map "controls") is off.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "estats.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define IPPROTO_TCP_NUM 6
#define ETH_P_IP_NUM 0x0800
#define ETH_P_IPV6_NUM 0x86DD
#define TCP_ECN_OK_FLAG 1
#define INFINITE_SSTHRESH 0x7fffffff
#define TCP_FLAG_FIN_BIT 0x01
#define TCP_FLAG_SYN_BIT 0x02
#define TCP_FLAG_RST_BIT 0x04
#define TCP_FLAG_ACK_BIT 0x10
#define TCP_FLAG_ECE_BIT 0x40
#define TCPOPT_EOL_KIND 0
#define TCPOPT_NOP_KIND 1
#define TCPOPT_SACK_KIND 5

/*
 * The kernel's tick rate (CONFIG_HZ): icsk_rto and the chrono times are in jiffies.
 * Written by the agent after load and before any program is attached, from what
 * estats_clock measured: a libbpf __kconfig extern would need /boot/config-* or
 * /proc/config.gz, which containers and many hosts do not have.
 */
__u32 kernel_hz;

/*
 * Members that kernels from 6.1 up may lack, declared here so that the object also
 * builds against an older kernel's vmlinux.h; libbpf matches "tcp_sock___x" to
 * tcp_sock, and bpf_core_field_exists() tells whether the running kernel has them.
 * The agent reads the same facts from the kernel's BTF (KernelFeature) and does not
 * serve the objects whose member is missing.
 */
struct tcp_sock___total_rto {           /* Linux 6.7 */
	u16 total_rto;
	u16 total_rto_recoveries;
} __attribute__((preserve_access_index));

struct tcp_sock___received_ce {         /* Linux 6.18 (AccECN) */
	u32 received_ce;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct estats_acc);
} sock_accs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

/* Events that found the ring buffer full, until the agent drains them: nothing is lost
 * unless this map is full too. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC); /* memory only while the ring buffer is full */
	__uint(max_entries, 65536);
	__type(key, struct estats_event_key);
	__type(value, struct estats_event);
} spilled_events SEC(".maps");

/*
 * Scratch space for the events being built on a CPU (larger than the BPF stack), one per
 * nesting level: the sockops program in process context (a close) can be interrupted by
 * the sockops program or the state tracepoint in softirq, which build events of their own.
 */
#define EVENT_NESTING 3
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, EVENT_NESTING);
	__type(key, __u32);
	__type(value, struct estats_event);
} event_scratch SEC(".maps");

/* Key 0: the number of events being built on this CPU (the next free scratch entry). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} event_depth SEC(".maps");

/* Key 0: struct estats_event_counts. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct estats_event_counts);
} event_counts SEC(".maps");

/* Key 0: ESTATS_CTL_* bits, written by the agent from the tcpEStatsControl scalars. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, enum estats_control);
} controls SEC(".maps");

/* Key 0: bpf_ktime_get_ns() of the last listener created or closed. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} listen_changed SEC(".maps");

/* Handshakes per local endpoint; request sockets have no storage of their own. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct estats_listen_key);
	__type(value, struct estats_listen_counts);
} listen_counts SEC(".maps");

/* Tune SETs waiting to be applied, by socket cookie. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, struct estats_tune_request);
} tune_requests SEC(".maps");

/* Scratch space for one record: it is larger than the 512-byte BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct estats_sock_record);
} record_scratch SEC(".maps");

/*
 * Never used by the programs: these make the object's BTF describe the records,
 * so that the agent can check its decoders against them at load time.
 */
const struct estats_sock_record *estats_sock_record_btf __attribute__((unused));
const struct estats_event *estats_event_btf __attribute__((unused));
const struct estats_event_key *estats_event_key_btf __attribute__((unused));
const struct estats_listen_key *estats_listen_key_btf __attribute__((unused));
const struct estats_listen_counts *estats_listen_counts_btf __attribute__((unused));
const struct estats_tune_result *estats_tune_result_btf __attribute__((unused));

static __always_inline __u32 controls_get(void)
{
	__u32 zero = 0;
	__u32 *c = bpf_map_lookup_elem(&controls, &zero);

	return c ? *c : 0;
}

/*
 * Storage of a socket, created on first sight. A socket first seen after it
 * started (it predates the agent) gets the current time as its start, flagged
 * as not the real start.
 */
static __always_inline struct estats_acc *acc_get(void *sk)
{
	struct estats_acc *acc = bpf_sk_storage_get(&sock_accs, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);

	if (acc && acc->start_ns == 0)
		acc->start_ns = bpf_ktime_get_ns();
	return acc;
}

static __always_inline __u32 max32(__u32 a, __u32 b)
{
	return a > b ? a : b;
}

/* Minimum where 0 means "no sample yet". */
static __always_inline __u32 min32_set(__u32 cur, __u32 v)
{
	return cur == 0 || v < cur ? v : cur;
}

static __always_inline __u32 rto_ms(__u32 jiffies)
{
	return (__u32)((__u64)jiffies * 1000 / kernel_hz);
}

/* Segments times the MSS; 0xffffffff when that does not fit (where Gauge32 and Unsigned32 stop). */
static __always_inline __u32 octets(__u32 segments, __u32 mss)
{
	__u64 v = (__u64)segments * mss;

	return v > 0xffffffffULL ? 0xffffffff : (__u32)v;
}

/* RFC 3517 pipe, in octets: the kernel's tcp_packets_in_flight() times the MSS. */
static __always_inline __u32 pipe_octets(struct tcp_sock *tp)
{
	__s64 in_flight = (__s64)tp->packets_out - tp->sacked_out - tp->lost_out + tp->retrans_out;

	return in_flight > 0 ? octets((__u32)in_flight, tp->mss_cache) : 0;
}

/* ssthresh in octets; 0xffffffff while the kernel's is still infinite (no reduction yet). */
static __always_inline __u32 ssthresh_octets(struct tcp_sock *tp)
{
	return tp->snd_ssthresh >= INFINITE_SSTHRESH ? 0xffffffff : octets(tp->snd_ssthresh, tp->mss_cache);
}

/* Octets from RCV.NXT to the end of the out-of-order queue (0 when it is empty). */
static __always_inline __u32 reasm_octets(struct tcp_sock *tp)
{
	struct sk_buff *last;
	__u32 end_seq = 0;

	if (!BPF_CORE_READ(tp, out_of_order_queue.rb_node))
		return 0;
	last = BPF_CORE_READ(tp, ooo_last_skb);
	if (!last)
		return 0;
	/* TCP_SKB_CB(skb)->end_seq: second u32 of skb->cb */
	bpf_core_read(&end_seq, sizeof(end_seq), &last->cb[4]);
	return end_seq - tp->rcv_nxt;
}

/* Sequence number a comes after b, modulo 2^32 (the kernel's after()). */
static __always_inline int seq_after(__u32 a, __u32 b)
{
	return (__s32)(a - b) > 0;
}

/* Recovery or CWR: cwnd follows the reduction (PRR), not slow start or congestion avoidance. */
static __always_inline int in_reduction(struct tcp_sock *tp)
{
	__u8 ca_state = BPF_CORE_READ_BITFIELD(&tp->inet_conn, icsk_ca_state);

	return ca_state == TCP_CA_Recovery || ca_state == TCP_CA_CWR;
}

/*
 * Maxima and minima of tcp_sock values, sampled at every hook that sees the socket.
 * sending: payload of a segment leaving now, which the kernel counts in flight after it.
 */
static __always_inline void sample(struct estats_acc *acc, struct tcp_sock *tp, __u32 ctl, __u32 sending)
{
	__u32 mss = tp->mss_cache;
	__u32 cwnd = tp->snd_cwnd;
	__u32 ssthresh = tp->snd_ssthresh;

	acc->max_pipe_size = max32(acc->max_pipe_size, pipe_octets(tp) + sending);
	if (ctl & ESTATS_CTL_PATH) {
		__u32 rto = rto_ms(tp->inet_conn.icsk_rto);

		acc->max_rto_ms = max32(acc->max_rto_ms, rto);
		acc->min_rto_ms = min32_set(acc->min_rto_ms, rto);
	}
	if (ctl & ESTATS_CTL_STACK) {
		/* in Recovery and CWR the window is being reduced (PRR): neither slow start nor avoidance */
		if (!in_reduction(tp)) {
			if (cwnd < ssthresh)
				acc->max_ss_cwnd = max32(acc->max_ss_cwnd, octets(cwnd, mss));
			else
				acc->max_ca_cwnd = max32(acc->max_ca_cwnd, octets(cwnd, mss));
		}
		if (ssthresh < INFINITE_SSTHRESH) {
			acc->max_ssthresh = max32(acc->max_ssthresh, ssthresh_octets(tp));
			acc->min_ssthresh = min32_set(acc->min_ssthresh, ssthresh_octets(tp));
		}
		acc->max_mss = max32(acc->max_mss, mss);
		acc->min_mss = min32_set(acc->min_mss, mss);
		acc->max_retx_queue = max32(acc->max_retx_queue, tp->snd_nxt - tp->snd_una);
		acc->max_reasm_queue = max32(acc->max_reasm_queue, reasm_octets(tp));
	}
	if (ctl & ESTATS_CTL_APP)
		acc->max_app_rqueue = max32(acc->max_app_rqueue, tp->rcv_nxt - tp->copied_seq);
}

/*
 * MaxRTO and MinRTO take the RTO in force whenever a record is read: the timer that backs
 * off (tcp_retransmit_timer doubles icsk_rto after RTO_CB ran) meets no other hook until
 * the next ACK or timeout, and MaxRTO may never be below CurRTO.
 */
static __always_inline void sample_rto_now(struct estats_acc *acc, struct estats_sock_record *rec)
{
	if (!(controls_get() & ESTATS_CTL_PATH))
		return;
	acc->max_rto_ms = max32(acc->max_rto_ms, rec->rto_ms);
	acc->min_rto_ms = min32_set(acc->min_rto_ms, rec->rto_ms);
}

/*
 * ZeroRwinRcvd/ZeroRwinSent count transitions to a zero window, not segments:
 * a run of zero-window segments (probes and their answers) counts once.
 */
static __always_inline void zero_window(struct estats_acc *acc, __u32 win, __u32 last_was_zero, __u32 *count)
{
	if (win == 0 && !(acc->flags & last_was_zero))
		(*count)++;
	if (win == 0)
		acc->flags |= last_was_zero;
	else
		acc->flags &= ~last_was_zero;
}

static __always_inline void listen_key(struct estats_listen_key *key, __u32 family, __u32 port,
				       __u32 ip4, __u32 *ip6, __u64 netns_cookie)
{
	__builtin_memset(key, 0, sizeof(*key));
	key->netns_cookie = netns_cookie;
	key->family = family;
	key->port = port;
	if (family == ESTATS_AF_INET) {
		__builtin_memcpy(key->addr, &ip4, 4);
	} else {
		__u32 a[4] = { ip6[0], ip6[1], ip6[2], ip6[3] };

		__builtin_memcpy(key->addr, a, 16);
	}
}

static __always_inline void listen_count(struct bpf_sock_ops *skops, int established)
{
	struct estats_listen_key key;
	struct estats_listen_counts *c, zero = {};
	__u32 ip6[4] = { skops->local_ip6[0], skops->local_ip6[1], skops->local_ip6[2], skops->local_ip6[3] };

	listen_key(&key, skops->family, skops->local_port, skops->local_ip4, ip6, bpf_get_netns_cookie(skops));
	c = bpf_map_lookup_elem(&listen_counts, &key);
	if (!c) {
		bpf_map_update_elem(&listen_counts, &key, &zero, BPF_NOEXIST);
		c = bpf_map_lookup_elem(&listen_counts, &key);
		if (!c)
			return;
	}
	if (established)
		__sync_fetch_and_add(&c->established, 1);
	else
		__sync_fetch_and_add(&c->initial, 1);
}

/* A socket entered or left LISTEN: the listener table changed now; a new listener's start. */
static __always_inline void listener_changed(void *sk, int listening)
{
	__u64 *changed, now = bpf_ktime_get_ns();
	struct estats_acc *acc;
	__u32 zero = 0;

	changed = bpf_map_lookup_elem(&listen_changed, &zero);
	if (changed)
		*changed = now;
	if (!listening)
		return;
	acc = bpf_sk_storage_get(&sock_accs, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (acc) {
		acc->start_ns = now;
		acc->start_known = 1;
	}
}

/* One RTT measurement, in microseconds: the Path table's sample, extremes, sum and count. */
static __always_inline void rtt_sample(struct estats_acc *acc, __u32 rtt)
{
	acc->sample_rtt_us = rtt;
	acc->max_rtt_us = max32(acc->max_rtt_us, rtt);
	acc->min_rtt_us = min32_set(acc->min_rtt_us, rtt);
	acc->sum_rtt_us += rtt;
	acc->count_rtt++;
	if (acc->flags & ESTATS_F_POST_CONG) {
		acc->post_cong_sum_rtt_us += rtt;
		acc->post_cong_count_rtt++;
		acc->flags &= ~ESTATS_F_POST_CONG;
	}
}

static __always_inline void count_undo(struct estats_acc *acc, int fast_retransmit)
{
	acc->cong_over_count++;
	if (fast_retransmit)
		acc->spurious_fr++;
	else
		acc->spurious_rto++;
	acc->flags &= ~(ESTATS_F_UNDO_WATCH_FR | ESTATS_F_UNDO_WATCH_RTO);
}

/*
 * Entering Recovery or Loss sets tp->undo_marker (tcp_init_undo); every undo of the
 * reduction clears it (tcp_undo_cwnd_reduction, tcp_try_undo_dsack), whatever the
 * congestion control does with ssthresh (BBR keeps it). A reduction that ends without an
 * undo leaves the marker, and a D-SACK that arrives later may still undo it without a
 * state change: that is looked for at the next hook that sees the socket.
 */
static __always_inline void watch_undo(struct estats_acc *acc, struct tcp_sock *tp)
{
	__u32 watching = acc->flags & (ESTATS_F_UNDO_WATCH_FR | ESTATS_F_UNDO_WATCH_RTO);

	if (watching && !tp->undo_marker)
		count_undo(acc, watching & ESTATS_F_UNDO_WATCH_FR);
}

/*
 * Start of tcp_rcv_established: one call per processed skb, before the ACK is
 * acted on. Only the Path, Stack and App tables need this view: octets and
 * zero windows are counted at ingress, which the kernel never skips (a tp_btf
 * program already running on this CPU is skipped, and tcp_probe often runs in
 * process context with interrupts able to nest).
 */
SEC("tp_btf/tcp_probe")
int BPF_PROG(estats_tcp_probe, struct sock *sk, const struct sk_buff *skb)
{
	__u32 ctl = controls_get();
	struct tcp_sock *tp;
	struct estats_acc *acc;
	__u32 cwnd;

	if (!(ctl & (ESTATS_CTL_PATH | ESTATS_CTL_STACK | ESTATS_CTL_APP)))
		return 0;
	tp = bpf_skc_to_tcp_sock(sk);
	if (!tp)
		return 0;
	acc = acc_get(tp);
	if (!acc)
		return 0;
	watch_undo(acc, tp);
	sample(acc, tp, ctl, 0);
	if (ctl & ESTATS_CTL_STACK) {
		/* cwnd grew since the previous ACK: by slow start below ssthresh, else by congestion avoidance */
		cwnd = tp->snd_cwnd;
		if (acc->prev_cwnd && cwnd > acc->prev_cwnd && !in_reduction(tp)) {
			if (acc->prev_cwnd < tp->snd_ssthresh)
				acc->slow_start++;
			else
				acc->cong_avoid++;
		}
		acc->prev_cwnd = cwnd;
	}
	return 0;
}

/*
 * Whether this state change is a congestion signal: a reduction the kernel decides on,
 * which RFC 4898 counts once (RFC 5681 reduces ssthresh once per window of data).
 * tcp_enter_cwr only leaves Open or Disorder. tcp_enter_recovery starts no new reduction
 * when one is under way (CWR, tcp_in_cwnd_reduction). tcp_enter_loss, called at every
 * RTO, cuts ssthresh only from Open or Disorder, once the window of the last reduction
 * has been acknowledged (snd_una reached high_seq), or at the first timeout after
 * progress in Loss (no retransmission since the last ACK of new data); backed-off
 * timeouts keep it. This runs before tcp_enter_loss updates high_seq and before
 * tcp_retransmit_timer counts the timeout, so it sees what the kernel decided on.
 */
static __always_inline int is_reduction(struct tcp_sock *tp, __u8 old, __u8 ca_state)
{
	switch (ca_state) {
	case TCP_CA_CWR:
		return old != TCP_CA_CWR;
	case TCP_CA_Recovery:
		return old != TCP_CA_Recovery && old != TCP_CA_CWR;
	case TCP_CA_Loss:
		return old <= TCP_CA_Disorder || !seq_after(tp->high_seq, tp->snd_una) ||
		       (old == TCP_CA_Loss && !tp->inet_conn.icsk_retransmits);
	default:
		return 0;
	}
}

/* Called from tcp_set_ca_state() before icsk_ca_state changes. */
SEC("tp_btf/tcp_cong_state_set")
int BPF_PROG(estats_cong_state, struct sock *sk, const u8 ca_state)
{
	struct tcp_sock *tp = bpf_skc_to_tcp_sock(sk);
	struct estats_acc *acc;
	__u8 old;

	if (!tp)
		return 0;
	acc = acc_get(tp);
	if (!acc)
		return 0;
	old = BPF_CORE_READ_BITFIELD(&tp->inet_conn, icsk_ca_state);

	if (is_reduction(tp, old, ca_state)) {
		/* prior_cwnd holds the window before the reduction */
		acc->cong_signals++;
		acc->pre_cong_sum_cwnd += (__u64)tp->prior_cwnd * tp->mss_cache;
		acc->pre_cong_sum_rtt_us += acc->sample_rtt_us;
		acc->flags |= ESTATS_F_POST_CONG;
	}
	if (ca_state == TCP_CA_Recovery && old != TCP_CA_Recovery)
		acc->fast_retran++;

	/* a new reduction (CWR clears the marker: ECN is never undone) ends the watch of the last */
	if (ca_state == TCP_CA_Recovery || ca_state == TCP_CA_Loss || ca_state == TCP_CA_CWR)
		acc->flags &= ~(ESTATS_F_UNDO_WATCH_FR | ESTATS_F_UNDO_WATCH_RTO);
	/* Leaving Recovery or Loss with the undo marker cleared: the reduction was undone
	 * (fully, or partly during Recovery). Else a late D-SACK may still undo it (watch_undo). */
	if ((old == TCP_CA_Recovery || old == TCP_CA_Loss) &&
	    (ca_state == TCP_CA_Open || ca_state == TCP_CA_Disorder)) {
		if (!tp->undo_marker)
			count_undo(acc, old == TCP_CA_Recovery);
		else
			acc->flags |= old == TCP_CA_Recovery ? ESTATS_F_UNDO_WATCH_FR : ESTATS_F_UNDO_WATCH_RTO;
	}

	/* A dup-ACK episode ended without a fast retransmit; the ending ACK's
	 * ingress pass recorded the episode's dup ACKs and the advance of SND.UNA. */
	if (old == TCP_CA_Disorder && (ca_state == TCP_CA_Recovery || ca_state == TCP_CA_Loss)) {
		/* the episode ended in a retransmission: its dup ACKs are not "non-recovery" */
		acc->episode_dupacks = 0;
		acc->episode_advance = 0;
	}
	/* Disorder also follows SACKs that came without a duplicate ACK: no dup-ACK episode */
	if (old == TCP_CA_Disorder && ca_state == TCP_CA_Open) {
		if (acc->episode_dupacks) {
			acc->non_recov_da_episodes++;
			acc->non_recov_da += acc->episode_dupacks;
			acc->sum_octets_reordered += acc->episode_advance;
		}
		acc->episode_dupacks = 0;
		acc->episode_advance = 0;
	}
	return 0;
}

/* Data was queued for the application: receive and reassembly queue maxima. */
SEC("tp_btf/sk_data_ready")
int BPF_PROG(estats_data_ready, const struct sock *sk)
{
	struct tcp_sock *tp;
	struct estats_acc *acc;
	__u32 ctl = controls_get();

	if (!(ctl & (ESTATS_CTL_APP | ESTATS_CTL_STACK)) || sk->sk_protocol != IPPROTO_TCP_NUM)
		return 0;
	tp = bpf_skc_to_tcp_sock((void *)sk);
	if (!tp)
		return 0;
	acc = acc_get(tp);
	if (!acc)
		return 0;
	if (ctl & ESTATS_CTL_APP)
		acc->max_app_rqueue = max32(acc->max_app_rqueue, tp->rcv_nxt - tp->copied_seq);
	if (ctl & ESTATS_CTL_STACK)
		acc->max_reasm_queue = max32(acc->max_reasm_queue, reasm_octets(tp));
	return 0;
}

/* End of a sendmsg(): what the application queued and TCP has not sent yet. */
SEC("tp_btf/sock_send_length")
int BPF_PROG(estats_send_length, struct sock *sk, int ret, int flags)
{
	struct tcp_sock *tp;
	struct estats_acc *acc;

	if (!(controls_get() & ESTATS_CTL_APP) || sk->sk_protocol != IPPROTO_TCP_NUM)
		return 0;
	tp = bpf_skc_to_tcp_sock(sk);
	if (!tp)
		return 0;
	acc = acc_get(tp);
	if (acc)
		acc->max_app_wqueue = max32(acc->max_app_wqueue, tp->write_seq - tp->snd_nxt);
	return 0;
}

/*
 * The TCP drop reasons, flavoured so that the object builds against a vmlinux.h that
 * lacks some (6.1 has none of OLD_SEQUENCE ... AOFAILURE below, 6.12 lacks three):
 * libbpf matches them by name without the ___estats suffix, and a reason the running
 * kernel lacks never matches (bpf_core_enum_value_exists is 0 and the test is dropped).
 */
enum skb_drop_reason___estats {
	SKB_DROP_REASON_TCP_OLD_DATA___estats, SKB_DROP_REASON_TCP_OLD_SEQUENCE___estats,
	SKB_DROP_REASON_TCP_INVALID_SEQUENCE___estats, SKB_DROP_REASON_TCP_INVALID_END_SEQUENCE___estats,
	SKB_DROP_REASON_TCP_OVERWINDOW___estats, SKB_DROP_REASON_TCP_ZEROWINDOW___estats,
	SKB_DROP_REASON_TCP_OLD_ACK___estats, SKB_DROP_REASON_TCP_TOO_OLD_ACK___estats,
	SKB_DROP_REASON_TCP_ACK_UNSENT_DATA___estats, SKB_DROP_REASON_TCP_INVALID_ACK_SEQUENCE___estats,
	SKB_DROP_REASON_TCP_RFC7323_PAWS___estats, SKB_DROP_REASON_TCP_RFC7323_PAWS_ACK___estats,
	SKB_DROP_REASON_TCP_RFC7323_TSECR___estats, SKB_DROP_REASON_TCP_CSUM___estats,
	SKB_DROP_REASON_TCP_FLAGS___estats, SKB_DROP_REASON_TCP_INVALID_SYN___estats,
	SKB_DROP_REASON_TCP_MINTTL___estats, SKB_DROP_REASON_TCP_AUTH_HDR___estats,
	SKB_DROP_REASON_TCP_MD5NOTFOUND___estats, SKB_DROP_REASON_TCP_MD5UNEXPECTED___estats,
	SKB_DROP_REASON_TCP_MD5FAILURE___estats, SKB_DROP_REASON_TCP_AONOTFOUND___estats,
	SKB_DROP_REASON_TCP_AOUNEXPECTED___estats, SKB_DROP_REASON_TCP_AOKEYNOTFOUND___estats,
	SKB_DROP_REASON_TCP_AOFAILURE___estats,
};

#define DROP_REASON(r, x)								\
	(bpf_core_enum_value_exists(enum skb_drop_reason___estats, SKB_DROP_REASON_##x##___estats) && \
	 (r) == bpf_core_enum_value(enum skb_drop_reason___estats, SKB_DROP_REASON_##x##___estats))

/* tcpEStatsStackSoftErrorReason for a drop reason, 0 if the drop is no soft error. */
static __always_inline __u32 soft_error_reason(__u32 r)
{
	if (DROP_REASON(r, TCP_OLD_DATA) || DROP_REASON(r, TCP_OLD_SEQUENCE))
		return 1; /* belowDataWindow */
	if (DROP_REASON(r, TCP_INVALID_SEQUENCE) || DROP_REASON(r, TCP_INVALID_END_SEQUENCE) ||
	    DROP_REASON(r, TCP_OVERWINDOW) || DROP_REASON(r, TCP_ZEROWINDOW))
		return 2; /* aboveDataWindow */
	if (DROP_REASON(r, TCP_OLD_ACK) || DROP_REASON(r, TCP_TOO_OLD_ACK))
		return 3; /* belowAckWindow */
	if (DROP_REASON(r, TCP_ACK_UNSENT_DATA) || DROP_REASON(r, TCP_INVALID_ACK_SEQUENCE))
		return 4; /* aboveAckWindow */
	if (DROP_REASON(r, TCP_RFC7323_PAWS) || DROP_REASON(r, TCP_RFC7323_PAWS_ACK))
		return 5; /* belowTSWindow */
	if (DROP_REASON(r, TCP_RFC7323_TSECR))
		return 6; /* aboveTSWindow */
	if (DROP_REASON(r, TCP_CSUM))
		return 7; /* dataCheckSum */
	if (DROP_REASON(r, TCP_FLAGS) || DROP_REASON(r, TCP_INVALID_SYN) ||
	    DROP_REASON(r, TCP_MINTTL) || DROP_REASON(r, TCP_AUTH_HDR) ||
	    DROP_REASON(r, TCP_MD5NOTFOUND) || DROP_REASON(r, TCP_MD5UNEXPECTED) ||
	    DROP_REASON(r, TCP_MD5FAILURE) || DROP_REASON(r, TCP_AONOTFOUND) ||
	    DROP_REASON(r, TCP_AOUNEXPECTED) || DROP_REASON(r, TCP_AOKEYNOTFOUND) ||
	    DROP_REASON(r, TCP_AOFAILURE))
		return 8; /* otherSoftError */
	return 0;
}

/*
 * A received segment the socket rejected (rx_sk is set for socket-level drops). The
 * rx_sk argument came with Linux 6.11; on older kernels the agent does not load this
 * program (the verifier would reject the fourth argument).
 */
SEC("tp_btf/kfree_skb")
int BPF_PROG(estats_kfree_skb, struct sk_buff *skb, void *location, enum skb_drop_reason reason,
	     struct sock *rx_sk)
{
	struct tcp_sock *tp;
	struct estats_acc *acc;
	__u32 why;

	if (!rx_sk || !(controls_get() & ESTATS_CTL_STACK))
		return 0;
	why = soft_error_reason(reason);
	if (!why)
		return 0;
	tp = bpf_skc_to_tcp_sock(rx_sk);
	if (!tp)
		return 0;
	acc = acc_get(tp);
	if (acc) {
		acc->soft_errors++;
		acc->soft_error_reason = why;
	}
	return 0;
}

/* The IP and TCP headers of a packet as cgroup_skb sees it (data at the IP header). */
struct pkt {
	__u32 tcp_off;
	__u32 payload;
	__u8 ttl;
	__u8 tos;
	struct tcphdr th;
};

static __always_inline int parse(struct __sk_buff *skb, struct pkt *p)
{
	__u32 ip_len;

	if (skb->protocol == bpf_htons(ETH_P_IP_NUM)) {
		struct iphdr ip;

		if (bpf_skb_load_bytes(skb, 0, &ip, sizeof(ip)) || ip.protocol != IPPROTO_TCP_NUM)
			return -1;
		ip_len = ip.ihl * 4;
		p->ttl = ip.ttl;
		p->tos = ip.tos;
	} else if (skb->protocol == bpf_htons(ETH_P_IPV6_NUM)) {
		struct ipv6hdr ip6;

		/* extension headers are not followed: TCP must come first */
		if (bpf_skb_load_bytes(skb, 0, &ip6, sizeof(ip6)) || ip6.nexthdr != IPPROTO_TCP_NUM)
			return -1;
		ip_len = sizeof(ip6);
		p->ttl = ip6.hop_limit;
		p->tos = (ip6.priority << 4) | (ip6.flow_lbl[0] >> 4);
	} else {
		return -1;
	}
	if (bpf_skb_load_bytes(skb, ip_len, &p->th, sizeof(p->th)))
		return -1;
	p->tcp_off = ip_len;
	p->payload = skb->len > ip_len + p->th.doff * 4 ? skb->len - ip_len - p->th.doff * 4 : 0;
	return 0;
}

static __always_inline __u8 tcp_flags(struct tcphdr *th)
{
	return ((__u8 *)th)[13];
}

/* Counts the SACK options of a received segment and their blocks. */
struct sack_scan {
	__u8 opts[40];
	__u32 at;
	__u32 len;
	__u32 sacks;
	__u32 blocks;
};

/* One TCP option per call (bpf_loop keeps the verifier's work independent of the option count). */
static long sack_scan_step(__u64 n, struct sack_scan *s)
{
	__u32 at = s->at;
	__u8 kind, olen;

	if (at >= 39 || at + 1 >= s->len)
		return 1;
	kind = s->opts[at];
	if (kind == TCPOPT_EOL_KIND)
		return 1;
	if (kind == TCPOPT_NOP_KIND) {
		s->at = at + 1;
		return 0;
	}
	olen = s->opts[at + 1];
	if (olen < 2)
		return 1;
	if (kind == TCPOPT_SACK_KIND) {
		s->sacks++;
		s->blocks += (olen - 2) / 8;
	}
	s->at = at + olen;
	return 0;
}

/* Counts the SACK options of a received segment and their blocks. */
static __always_inline void count_sacks(struct __sk_buff *skb, struct pkt *p, struct estats_acc *acc)
{
	struct sack_scan s = {};
	__u32 words = p->th.doff;

	/* Options are part of the header, so all of them are in the packet. The length is
	 * derived from a checked word count so that the verifier (6.1's too) sees it in
	 * [4, 40]: a test on the octet count itself, which is a multiple of 4, lets clang
	 * test only for zero, and 6.1 then rejects a possibly empty read. */
	if (words <= 5)
		return;
	s.len = (words - 5) * 4;
	if (bpf_skb_load_bytes(skb, p->tcp_off + 20, s.opts, s.len))
		return;
	bpf_loop(40, sack_scan_step, &s, 0);
	/* atomic as data_octets_in: ACKs of one socket may be counted on two CPUs at once */
	if (s.sacks) {
		__sync_fetch_and_add(&acc->sacks_rcvd, s.sacks);
		__sync_fetch_and_add(&acc->sack_blocks_rcvd, s.blocks);
	}
}

/*
 * The accumulator of the full TCP socket a segment belongs to, with the
 * segment's headers parsed into p; NULL for anything else (request and
 * TIME_WAIT sockets, other protocols, unparsable packets).
 */
static __always_inline struct estats_acc *segment_acc(struct __sk_buff *skb, struct pkt *p,
						      struct bpf_sock **sk, struct tcp_sock **tp)
{
	struct bpf_sock *s = skb->sk;

	if (!s)
		return NULL;
	s = bpf_sk_fullsock(s);
	if (!s || s->protocol != IPPROTO_TCP_NUM || parse(skb, p))
		return NULL;
	*tp = bpf_skc_to_tcp_sock(s);
	if (!*tp)
		return NULL;
	*sk = s;
	return acc_get(*tp);
}

/*
 * A duplicate ACK as RFC 5681 defines it: data outstanding, no data, SYN or FIN, the
 * greatest ACK number received so far, the same window as the last ACK. Judged against
 * the ACKs as they arrive, not against tp->snd_una, which lags while earlier ACKs wait
 * in the socket backlog (the sender often holds the socket lock in sendmsg).
 */
static __always_inline void ack_received(struct estats_acc *acc, struct tcp_sock *tp, struct pkt *p, __u8 flags)
{
	__u32 ack = bpf_ntohl(p->th.ack_seq);
	__u32 win = bpf_ntohs(p->th.window);

	/*
	 * ACKs went unseen (the tables were off, or the connection is older than the agent):
	 * this one becomes the reference, and is no duplicate, as no ACK before it is known.
	 */
	if (!(acc->flags & ESTATS_F_ACK_RCVD) || seq_after(tp->snd_una, acc->highest_ack_rcvd)) {
		acc->highest_ack_rcvd = seq_after(ack, tp->snd_una) ? ack : tp->snd_una;
		acc->last_win_rcvd = win;
		acc->dupacks_since_advance = 0;
		acc->flags |= ESTATS_F_ACK_RCVD;
		return;
	}
	if (seq_after(ack, acc->highest_ack_rcvd)) {
		if (acc->dupacks_since_advance) {
			/* the first advance after dup ACKs ends their episode */
			acc->episode_dupacks = acc->dupacks_since_advance;
			acc->episode_advance = ack - acc->highest_ack_rcvd;
			acc->dupacks_since_advance = 0;
		}
		acc->highest_ack_rcvd = ack;
	} else if (ack == acc->highest_ack_rcvd && win == acc->last_win_rcvd && p->payload == 0 &&
		   tp->snd_nxt != ack && !(flags & (TCP_FLAG_SYN_BIT | TCP_FLAG_FIN_BIT | TCP_FLAG_RST_BIT))) {
		__sync_fetch_and_add(&acc->dup_acks_in, 1);
		acc->dupacks_since_advance++;
	}
	acc->last_win_rcvd = win;
}

/*
 * Every segment received by a full socket, before the socket backlog merges
 * any and before TCP validates it: data octets, zero windows, dup ACKs, SACK
 * blocks, ECE, TTL and TOS. SYNs to a listener arrive with the listener as
 * skb->sk. GRO aggregates arrive as one skb; GRO merges only segments whose
 * header words 12-15 (flags, window) are equal.
 */
SEC("cgroup_skb/ingress")
int estats_ingress(struct __sk_buff *skb)
{
	struct bpf_sock *sk;
	struct tcp_sock *tp;
	struct estats_acc *acc;
	struct pkt p;
	__u32 ctl;
	__u8 flags;

	acc = segment_acc(skb, &p, &sk, &tp);
	if (!acc)
		return 1;
	flags = tcp_flags(&p.th);
	if (sk->state == TCP_LISTEN) {
		if ((flags & (TCP_FLAG_SYN_BIT | TCP_FLAG_ACK_BIT)) == TCP_FLAG_SYN_BIT)
			__sync_fetch_and_add(&acc->listen_syn_rcvd, 1);
		return 1;
	}
	/* segments of one socket may arrive on two CPUs at once: the sum must stay exact */
	if (p.payload)
		__sync_fetch_and_add(&acc->data_octets_in, p.payload);
	if (!(flags & TCP_FLAG_SYN_BIT))
		zero_window(acc, bpf_ntohs(p.th.window), ESTATS_F_RWIN_RCVD_ZERO, &acc->zero_rwin_rcvd);
	ctl = controls_get();
	if (!(ctl & (ESTATS_CTL_PATH | ESTATS_CTL_STACK)))
		return 1;
	acc->ip_ttl = p.ttl;
	acc->ip_tos_in = p.tos;
	if ((flags & TCP_FLAG_ECE_BIT) && !(flags & TCP_FLAG_SYN_BIT) && (tp->ecn_flags & TCP_ECN_OK_FLAG))
		__sync_fetch_and_add(&acc->ecn_signals, 1);
	if (flags & TCP_FLAG_ACK_BIT)
		ack_received(acc, tp, &p, flags);
	if ((ctl & ESTATS_CTL_STACK) && p.th.doff > 5)
		count_sacks(skb, &p, acc);
	return 1;
}

/*
 * Every segment a full socket sends, with its final TCP header: the window
 * we advertise, ECE, duplicate ACKs. GSO packets are seen once.
 */
SEC("cgroup_skb/egress")
int estats_egress(struct __sk_buff *skb)
{
	struct bpf_sock *sk;
	struct tcp_sock *tp;
	struct estats_acc *acc;
	struct pkt p;
	__u32 ctl, ack, win, win_octets;
	__u8 flags;

	acc = segment_acc(skb, &p, &sk, &tp);
	/* a listener sends nothing of its own: SYN-ACKs leave from request sockets */
	if (!acc || sk->state == TCP_LISTEN)
		return 1;
	flags = tcp_flags(&p.th);
	win = bpf_ntohs(p.th.window);
	/* the window of a SYN is never scaled */
	win_octets = (flags & TCP_FLAG_SYN_BIT) ? win : win << tp->rx_opt.rcv_wscale;
	acc->max_rwin_sent = max32(acc->max_rwin_sent, win_octets);
	if (!(flags & TCP_FLAG_SYN_BIT))
		zero_window(acc, win, ESTATS_F_RWIN_SENT_ZERO, &acc->zero_rwin_sent);
	ctl = controls_get();
	/* before the handshake ends, MSS and RTO are still the defaults; the kernel
	 * counts a segment in flight only after this hook, so its payload is added */
	if (sk->state != TCP_SYN_SENT && sk->state != TCP_SYN_RECV)
		sample(acc, tp, ctl, p.payload);
	if (!(ctl & ESTATS_CTL_PATH))
		return 1;

	if (!(flags & TCP_FLAG_SYN_BIT)) {
		if ((flags & TCP_FLAG_ECE_BIT) && !(acc->flags & ESTATS_F_ECE_SENT))
			acc->ece_sent++;
		if (flags & TCP_FLAG_ECE_BIT)
			acc->flags |= ESTATS_F_ECE_SENT;
		else
			acc->flags &= ~ESTATS_F_ECE_SENT;
	}
	if (flags & TCP_FLAG_ACK_BIT) {
		ack = bpf_ntohl(p.th.ack_seq);
		/* a pure ACK repeating the last ACK number is a duplicate while out-of-order
		 * data waits (the window it carries may change as the application reads);
		 * otherwise only if the window is the same too (not a window update) */
		if (p.payload == 0 && !(flags & (TCP_FLAG_SYN_BIT | TCP_FLAG_FIN_BIT | TCP_FLAG_RST_BIT)) &&
		    (acc->flags & ESTATS_F_ACK_SENT) && ack == acc->last_ack_sent &&
		    (win == acc->last_win_sent || BPF_CORE_READ(tp, out_of_order_queue.rb_node))) {
			acc->dup_acks_out++;
			if (!(acc->flags & ESTATS_F_LAST_ACK_DUP))
				acc->dup_ack_episodes++;
			acc->flags |= ESTATS_F_LAST_ACK_DUP;
		} else {
			acc->flags &= ~ESTATS_F_LAST_ACK_DUP;
		}
		acc->last_ack_sent = ack;
		acc->last_win_sent = win;
		acc->flags |= ESTATS_F_ACK_SENT;
	}
	return 1;
}

/* The kernel's chrono accounting (tcp_get_info_chrono_stats), the running chrono included, in ms. */
static __always_inline void chrono_ms(struct tcp_sock *tp, struct estats_sock_record *rec)
{
	__u32 hz = kernel_hz;
	__u32 now = (__u32)bpf_jiffies64();
	/* a 2-bit bitfield before Linux 6.18, a u8 since */
	__u32 type = BPF_CORE_READ_BITFIELD(tp, chrono_type);
	__u64 busy = tp->chrono_stat[0], rwnd = tp->chrono_stat[1], sndbuf = tp->chrono_stat[2];

	if (type == 1)
		busy += now - tp->chrono_start;
	else if (type == 2)
		rwnd += now - tp->chrono_start;
	else if (type == 3)
		sndbuf += now - tp->chrono_start;
	rec->busy_ms = (busy + rwnd + sndbuf) * 1000 / hz;
	rec->rwnd_limited_ms = rwnd * 1000 / hz;
	rec->sndbuf_limited_ms = sndbuf * 1000 / hz;
}

static __always_inline void read_tcp_sock(struct tcp_sock *tp, struct estats_sock_record *rec)
{
	struct inet_sock *inet = &tp->inet_conn.icsk_inet;

	rec->last_event_us = tp->tcp_mstamp;
	rec->bytes_sent = tp->bytes_sent;
	rec->bytes_retrans = tp->bytes_retrans;
	rec->bytes_received = tp->bytes_received;
	rec->bytes_acked = tp->bytes_acked;
	rec->segs_out = tp->segs_out;
	rec->data_segs_out = tp->data_segs_out;
	rec->total_retrans = tp->total_retrans;
	rec->segs_in = tp->segs_in;
	rec->data_segs_in = tp->data_segs_in;
	rec->mss_cache = tp->mss_cache;
	rec->srtt_us = tp->srtt_us >> 3;
	rec->mdev_us = tp->mdev_us >> 2;
	rec->rcv_rtt_us = tp->rcv_rtt_est.rtt_us >> 3;
	rec->rto_ms = rto_ms(tp->inet_conn.icsk_rto);
	rec->cwnd_octets = octets(tp->snd_cwnd, tp->mss_cache);
	rec->ssthresh_octets = ssthresh_octets(tp);
	rec->snd_cwnd_clamp = tp->snd_cwnd_clamp;
	rec->cwnd_clamp_octets = octets(tp->snd_cwnd_clamp, tp->mss_cache);
	rec->window_clamp = tp->window_clamp;
	rec->snd_una = tp->snd_una;
	rec->snd_nxt = tp->snd_nxt;
	rec->rcv_nxt = tp->rcv_nxt;
	rec->write_seq = tp->write_seq;
	rec->copied_seq = tp->copied_seq;
	rec->pipe_octets = pipe_octets(tp);
	rec->sacked_out = tp->sacked_out;
	rec->retrans_out = tp->retrans_out;
	rec->rcv_wnd = tp->rcv_wnd;
	rec->snd_wnd = tp->snd_wnd;
	rec->max_window = tp->max_window;
	rec->reordering = tp->reordering;
	if (bpf_core_field_exists(struct tcp_sock___received_ce, received_ce))
		rec->received_ce = ((struct tcp_sock___received_ce *)tp)->received_ce;
	rec->dsack_dups = tp->dsack_dups;
	rec->reasm_queue = reasm_octets(tp);
	chrono_ms(tp, rec);
	if (bpf_core_field_exists(struct tcp_sock___total_rto, total_rto)) {
		rec->total_rto = ((struct tcp_sock___total_rto *)tp)->total_rto;
		rec->total_rto_recoveries = ((struct tcp_sock___total_rto *)tp)->total_rto_recoveries;
	}
	rec->advmss = tp->advmss;
	rec->user_mss = tp->rx_opt.user_mss;
	rec->mss_clamp = tp->rx_opt.mss_clamp;
	rec->retransmits = tp->inet_conn.icsk_retransmits;
	rec->ca_state = BPF_CORE_READ_BITFIELD(&tp->inet_conn, icsk_ca_state);
	rec->tstamp_ok = tp->rx_opt.tstamp_ok;
	rec->sack_ok = tp->rx_opt.sack_ok;
	rec->wscale_ok = tp->rx_opt.wscale_ok;
	rec->snd_wscale = tp->rx_opt.snd_wscale;
	rec->rcv_wscale = tp->rx_opt.rcv_wscale;
	rec->ecn_ok = tp->ecn_flags & TCP_ECN_OK_FLAG;
	rec->nonagle = tp->nonagle;
	if (rec->family == ESTATS_AF_INET6)
		rec->tos_out = inet->pinet6->tclass;
	else
		rec->tos_out = inet->tos;
}

static __always_inline void read_tuple_v4(__u8 *dst, __be32 addr)
{
	__builtin_memcpy(dst, &addr, 4);
}

/* Family, addresses, network namespace and remote port of a socket (the local port depends on the caller). */
static __always_inline void read_addresses(struct estats_sock_record *rec, const struct sock_common *skc)
{
	/* BTF pointers: plain loads, which the JIT guards, not a probe-read helper call each */
	struct net *net = skc->skc_net.net;

	rec->netns = net->ns.inum;
	rec->netns_cookie = net->net_cookie;
	rec->family = skc->skc_family;
	rec->remote_port = bpf_ntohs(skc->skc_dport);
	if (rec->family == ESTATS_AF_INET) {
		read_tuple_v4(rec->local_addr, skc->skc_rcv_saddr);
		read_tuple_v4(rec->remote_addr, skc->skc_daddr);
	} else {
		BPF_CORE_READ_INTO(&rec->local_addr, skc, skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(&rec->remote_addr, skc, skc_v6_daddr.in6_u.u6_addr8);
	}
}

/* Builds a lifecycle event in ev and sends it (see emit_lifecycle). */
static __always_inline void send_lifecycle(struct estats_event *ev, struct tcp_sock *tp, __u64 cookie,
					   int oldstate, int newstate, __u32 type)
{
	struct sock *sk = &tp->inet_conn.icsk_inet.sk;
	struct estats_sock_record *rec;
	struct estats_acc *acc;
	__u32 zero = 0;
	__u64 wakeup;

	__builtin_memset(ev, 0, sizeof(*ev));
	ev->time_ns = bpf_ktime_get_ns();
	ev->type = type;
	ev->old_state = oldstate;
	ev->new_state = newstate;
	rec = &ev->rec;
	rec->cookie = cookie;
	read_addresses(rec, &sk->__sk_common);
	rec->state = newstate;
	rec->now_ns = ev->time_ns;
	/* skc_num is already 0 when the state has become TCP_CLOSE (the port is released
	 * first); inet_sport still holds it, as for the kernel's own trace event. */
	rec->local_port = bpf_ntohs(BPF_CORE_READ(&tp->inet_conn.icsk_inet, inet_sport));
	if (type == ESTATS_EVENT_CLOSED) {
		rec->has_stats = 1;
		read_tcp_sock(tp, rec);
		acc = bpf_sk_storage_get(&sock_accs, tp, 0, 0);
		if (acc) {
			sample_rto_now(acc, rec);
			__builtin_memcpy(&rec->acc, acc, sizeof(*acc));
		}
	}
	/*
	 * A wakeup per event would cost a context switch per event under churn: the agent reads
	 * the buffer on a short timer and before each kernel pass, and is woken at once only when
	 * the buffer is a quarter full.
	 */
	wakeup = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= bpf_ringbuf_query(&events, BPF_RB_RING_SIZE) / 4 ?
		 BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
	if (bpf_ringbuf_output(&events, ev, sizeof(*ev), wakeup)) {
		struct estats_event_key key = { .cookie = rec->cookie, .type = type };
		struct estats_event_counts *counts = bpf_map_lookup_elem(&event_counts, &zero);

		if (counts)
			__sync_fetch_and_add(bpf_map_update_elem(&spilled_events, &key, ev, BPF_ANY) ?
					     &counts->lost : &counts->spilled, 1);
	}
}

/*
 * A lifecycle event: on the ring buffer, or when it is full in spilled_events, which the
 * agent drains. An establishment carries the socket's identity, a close its final values
 * too (the row outlives the socket for tcpEStatsConnTableLatency). Each nesting level on a
 * CPU builds in its own scratch entry: an interrupting program runs to its end before the
 * one it interrupted goes on, so a per-CPU depth counter is enough.
 */
static __always_inline void emit_lifecycle(struct tcp_sock *tp, __u64 cookie, int oldstate, int newstate,
					   __u32 type)
{
	struct estats_event_counts *counts;
	struct estats_event *ev;
	__u32 zero = 0, slot;
	__u32 *depth;

	depth = bpf_map_lookup_elem(&event_depth, &zero);
	if (!depth)
		return;
	slot = *depth;
	if (slot >= EVENT_NESTING) {
		counts = bpf_map_lookup_elem(&event_counts, &zero);
		if (counts)
			__sync_fetch_and_add(&counts->lost, 1);
		return;
	}
	*depth = slot + 1;
	ev = bpf_map_lookup_elem(&event_scratch, &slot);
	if (ev)
		send_lifecycle(ev, tp, cookie, oldstate, newstate, type);
	*depth = slot;
}

SEC("sockops")
int estats_sockops(struct bpf_sock_ops *skops)
{
	struct estats_acc *acc;
	struct tcp_sock *tp;
	struct bpf_sock *sk;
	__u32 op = skops->op;

	if (op == BPF_SOCK_OPS_TIMEOUT_INIT && !skops->is_fullsock) {
		/* tcp_conn_request() created a request socket: a SYN-ACK goes out */
		listen_count(skops, 0);
		return 1;
	}
	sk = skops->sk;
	if (!sk)
		return 1;

	switch (op) {
	case BPF_SOCK_OPS_TCP_LISTEN_CB:
		listener_changed(sk, 1);
		/* its close, and the children it hands out until they are established */
		bpf_sock_ops_cb_flags_set(skops, skops->bpf_sock_ops_cb_flags | BPF_SOCK_OPS_STATE_CB_FLAG);
		break;
	case BPF_SOCK_OPS_TCP_CONNECT_CB:
		acc = bpf_sk_storage_get(&sock_accs, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
		if (acc) {
			acc->start_ns = bpf_ktime_get_ns();
			acc->start_known = 1;
			acc->active_open = 1;
		}
		/* follow its states from here: a connect that times out closes from SYN_SENT */
		bpf_sock_ops_cb_flags_set(skops, skops->bpf_sock_ops_cb_flags | BPF_SOCK_OPS_STATE_CB_FLAG);
		break;
	case BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB:
		listen_count(skops, 1);
		acc = bpf_sk_storage_get(&sock_accs, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
		if (acc) {
			acc->start_ns = bpf_ktime_get_ns();
			acc->start_known = 1;
			acc->active_open = 2;
		}
		/* fall through: both ends want RTT and RTO callbacks */
	case BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB:
		bpf_sock_ops_cb_flags_set(skops, skops->bpf_sock_ops_cb_flags | BPF_SOCK_OPS_RTT_CB_FLAG |
					  BPF_SOCK_OPS_RTO_CB_FLAG | BPF_SOCK_OPS_STATE_CB_FLAG);
		tp = bpf_skc_to_tcp_sock(sk);
		if (tp)
			emit_lifecycle(tp, bpf_get_socket_cookie(skops), skops->op == BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB ?
				       TCP_SYN_SENT : TCP_SYN_RECV, TCP_ESTABLISHED, ESTATS_EVENT_ESTABLISHED);
		/*
		 * The handshake's RTT (SYN to SYN-ACK, or SYN-ACK to ACK) was measured before
		 * the callback could be asked for: the first measurement is srtt itself. A
		 * receiver that never sends data has no other sample. None if the handshake
		 * was retransmitted (Karn).
		 */
		if (skops->srtt_us) {
			acc = acc_get(sk);
			if (acc && !acc->count_rtt)
				rtt_sample(acc, skops->srtt_us >> 3);
		}
		break;
	case BPF_SOCK_OPS_RTT_CB: {
		/*
		 * Called once per round trip, not per ACK. args[0]: the measured RTT in us;
		 * before Linux 6.10 it is 0 and srtt_us is the smoothed RTT before this update.
		 */
		__u32 rtt = skops->args[0] ? skops->args[0] : skops->srtt_us >> 3;

		acc = acc_get(sk);
		if (acc)
			rtt_sample(acc, rtt);
		break;
	}
	case BPF_SOCK_OPS_STATE_CB:
		/*
		 * tcp_set_state(), before the change: args[0] the old state, args[1] the new.
		 * The kernel never skips a sockops callback, unlike a tracepoint program already
		 * running on the CPU, so closes by a timer (connect, retransmission or keepalive
		 * timeout) are counted as exactly as the application's.
		 */
		if (skops->args[0] == TCP_LISTEN) {
			listener_changed(sk, 0);
			break;
		}
		if (skops->args[1] == TCP_CLOSE && skops->args[0] != TCP_CLOSE) {
			tp = bpf_skc_to_tcp_sock(sk);
			if (tp)
				emit_lifecycle(tp, bpf_get_socket_cookie(skops), skops->args[0], TCP_CLOSE,
					       ESTATS_EVENT_CLOSED);
		}
		break;
	case BPF_SOCK_OPS_RTO_CB: {
		/* tcp_write_timeout(), before tcp_enter_loss(): args[1] is icsk_rto */
		__u32 rto = rto_ms(skops->args[1]);

		acc = acc_get(sk);
		tp = bpf_skc_to_tcp_sock(sk);
		if (!acc || !tp)
			break;
		acc->max_rto_ms = max32(acc->max_rto_ms, rto);
		acc->min_rto_ms = min32_set(acc->min_rto_ms, rto);
		/* no dup ACKs, SACKs or other signal came before: the whole window was lost */
		if (BPF_CORE_READ_BITFIELD(&tp->inet_conn, icsk_ca_state) == TCP_CA_Open &&
		    skops->state != TCP_SYN_SENT && skops->state != TCP_SYN_RECV)
			acc->abrupt_timeouts++;
		break;
	}
	}
	return 1;
}

/*
 * Listeners and closes of the sockets sockops does not follow: those older than the agent,
 * on a kernel whose bpf_setsockopt cannot hand them to sockops (before 6.12), or in a
 * namespace the agent cannot enter. The kernel skips this program when it is already
 * running on the CPU, so the agent detaches it once a pass finds every socket followed.
 */
SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(estats_set_state, const struct sock *sk, const int oldstate, const int newstate)
{
	struct tcp_sock *tp;

	if (sk->sk_protocol != IPPROTO_TCP_NUM)
		return 0;
	if (newstate == TCP_LISTEN || oldstate == TCP_LISTEN) {
		listener_changed((void *)sk, newstate == TCP_LISTEN);
		return 0;
	}
	if (newstate != TCP_CLOSE || oldstate == TCP_CLOSE)
		return 0;
	tp = bpf_skc_to_tcp_sock((void *)sk);
	if (!tp || (tp->bpf_sock_ops_cb_flags & BPF_SOCK_OPS_STATE_CB_FLAG))
		return 0;
	emit_lifecycle(tp, bpf_get_socket_cookie((void *)sk), oldstate, newstate, ESTATS_EVENT_CLOSED);
	return 0;
}

/*
 * Run by the agent through BPF_PROG_TEST_RUN to measure the tick rate: the kernel's
 * monotonic clock and jiffies read together.
 */
SEC("syscall")
int estats_clock(struct estats_clock *clock)
{
	clock->ktime_ns = bpf_ktime_get_ns();
	clock->jiffies = bpf_jiffies64();
	return 0;
}

/* Writes the record of one socket (any TCP socket: full, TIME_WAIT or request) to an iterator. */
static __always_inline void dump_socket(struct seq_file *seq, struct sock_common *skc)
{
	struct estats_sock_record *rec;
	struct tcp_sock *tp;
	struct estats_acc *acc;
	__u32 zero = 0;

	rec = bpf_map_lookup_elem(&record_scratch, &zero);
	if (!rec)
		return;
	__builtin_memset(rec, 0, sizeof(*rec));
	rec->cookie = bpf_get_socket_cookie(skc);
	read_addresses(rec, skc);
	rec->state = skc->skc_state;
	rec->local_port = skc->skc_num;
	rec->now_ns = bpf_ktime_get_ns();
	rec->v6only = skc->skc_ipv6only;
	if (rec->state == TCP_TIME_WAIT) {
		/*
		 * An orphaned FIN_WAIT2 connection is kept as a time-wait socket: its substate
		 * is the state TCP is in, as ss and TCP-MIB (snmpd) show it.
		 */
		struct tcp_timewait_sock *tw = bpf_skc_to_tcp_timewait_sock(skc);

		if (tw)
			rec->state = tw->tw_sk.tw_substate;
	}

	/* NULL for TIME_WAIT and request sockets: they have no tcp_sock. */
	tp = bpf_skc_to_tcp_sock(skc);
	if (tp) {
		struct sock *sk = &tp->inet_conn.icsk_inet.sk;

		/* 0 when no file holds it: a load through a NULL BTF pointer reads 0 */
		rec->inode = sk->sk_socket->file->f_inode->i_ino;
		rec->followed = (tp->bpf_sock_ops_cb_flags & BPF_SOCK_OPS_STATE_CB_FLAG) != 0;
		if (rec->state == TCP_LISTEN) {
			rec->listen_drops = sk->sk_drops.counter;
			rec->ack_backlog = sk->sk_ack_backlog;
			rec->max_ack_backlog = sk->sk_max_ack_backlog;
			rec->syn_queue = tp->inet_conn.icsk_accept_queue.qlen.counter;
		} else {
			rec->has_stats = 1;
			read_tcp_sock(tp, rec);
		}
		acc = acc_get(tp);
		if (acc) {
			if (rec->has_stats) {
				watch_undo(acc, tp);
				sample_rto_now(acc, rec);
			}
			__builtin_memcpy(&rec->acc, acc, sizeof(*acc));
		}
	}
	bpf_seq_write(seq, rec, sizeof(*rec));
}

#define SOL_TCP_LEVEL 6
#define TCP_BPF_SOCK_OPS_CB_FLAGS_OPT 1008

/* Set by the agent when bpf_setsockopt takes TCP_BPF_SOCK_OPS_CB_FLAGS (Linux 6.12). */
__u32 follow_existing;

/*
 * Hands a socket older than the agent to sockops' state callback, so that its close needs
 * no tracepoint. The iterator holds the socket lock that bpf_setsockopt needs.
 */
static __always_inline void follow(struct sock_common *skc)
{
	struct tcp_sock *tp = bpf_skc_to_tcp_sock(skc);
	int flags;

	if (!tp || skc->skc_state == TCP_CLOSE || (tp->bpf_sock_ops_cb_flags & BPF_SOCK_OPS_STATE_CB_FLAG))
		return;
	flags = tp->bpf_sock_ops_cb_flags | BPF_SOCK_OPS_STATE_CB_FLAG;
	bpf_setsockopt(tp, SOL_TCP_LEVEL, TCP_BPF_SOCK_OPS_CB_FLAGS_OPT, &flags, sizeof(flags));
}

/* Every TCP socket of the network namespace that opened the iterator: the agent's own. */
SEC("iter/tcp")
int estats_dump(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;

	if (!skc)
		return 0;
	if (follow_existing)
		follow(skc);
	dump_socket(ctx->meta->seq, skc);
	return 0;
}

/* The inode of the agent's own network namespace, which estats_dump covers; set by the agent. */
__u32 agent_netns;

#define SOCK_STREAM_TYPE 1

/*
 * TCP sockets of every other network namespace, reached through the open files of every
 * task: iter/tcp sees only the namespace that opened it, and opening it in another one
 * needs CAP_SYS_ADMIN (setns). Sockets that no descriptor holds (TIME_WAIT and request
 * sockets, orphans, connections not yet accepted) are not seen; a socket that several
 * descriptors hold is written once for each (the agent keeps one by cookie).
 */
SEC("iter/task_file")
int estats_dump_files(struct bpf_iter__task_file *ctx)
{
	struct file *file = ctx->file;
	struct socket *sock;
	struct sock *sk;

	if (!file)
		return 0;
	sock = bpf_sock_from_file(file);
	if (!sock)
		return 0;
	sk = sock->sk;
	if (!sk || sk->sk_protocol != IPPROTO_TCP_NUM || sk->sk_type != SOCK_STREAM_TYPE ||
	    (sk->__sk_common.skc_family != ESTATS_AF_INET && sk->__sk_common.skc_family != ESTATS_AF_INET6))
		return 0;
	if (sk->__sk_common.skc_net.net->ns.inum == agent_netns)
		return 0;
	dump_socket(ctx->meta->seq, &sk->__sk_common);
	return 0;
}

#define SOL_SOCKET_LEVEL 1
#define SO_RCVBUF_OPT 8
#define TCP_WINDOW_CLAMP_OPT 10
#define TCP_BPF_SNDCWND_CLAMP_OPT 1002

/*
 * Applies the Tune SETs waiting in tune_requests to their sockets (the iterator holds
 * the socket lock that bpf_setsockopt needs) and reports each result.
 */
SEC("iter/tcp")
int estats_tune(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	struct estats_tune_request *req;
	struct estats_tune_result res = {};
	struct tcp_sock *tp;
	__u64 cookie;
	int v;

	if (!skc)
		return 0;
	tp = bpf_skc_to_tcp_sock(skc);
	if (!tp || skc->skc_state == TCP_LISTEN)
		return 0;
	cookie = bpf_get_socket_cookie(skc);
	req = bpf_map_lookup_elem(&tune_requests, &cookie);
	if (!req)
		return 0;
	res.cookie = cookie;
	if (req->cwnd_clamp) {
		v = req->cwnd_clamp;
		res.cwnd_rc = bpf_setsockopt(tp, SOL_TCP_LEVEL, TCP_BPF_SNDCWND_CLAMP_OPT, &v, sizeof(v));
	}
	if (req->window_clamp) {
		/* Receive-buffer autotuning (tcp_rcv_space_adjust) rewrites window_clamp
		 * unless the buffer is locked: lock it at its current size, as SO_RCVBUF
		 * would (which takes half the size it sets). */
		v = (__u32)tp->inet_conn.icsk_inet.sk.sk_rcvbuf >> 1;
		res.window_rc = bpf_setsockopt(tp, SOL_SOCKET_LEVEL, SO_RCVBUF_OPT, &v, sizeof(v));
		if (!res.window_rc) {
			v = req->window_clamp;
			res.window_rc = bpf_setsockopt(tp, SOL_TCP_LEVEL, TCP_WINDOW_CLAMP_OPT, &v, sizeof(v));
		}
	}
	bpf_map_delete_elem(&tune_requests, &cookie);
	bpf_seq_write(ctx->meta->seq, &res, sizeof(res));
	return 0;
}
