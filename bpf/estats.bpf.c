// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * Kernel side of tcp-estats-agent.
 *
 * - iter/tcp dumps one struct estats_sock_record per TCP socket on demand:
 *   everything Linux keeps in tcp_sock is read at query time, not streamed.
 * - Per-socket accumulators (what tcp_sock does not keep) live in SK_STORAGE,
 *   so they are allocated with the socket and die with it.
 * - inet_sock_set_state sends established/closed events on a ring buffer.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "estats.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define IPPROTO_TCP_NUM 6

extern unsigned int CONFIG_HZ __kconfig __weak;

/* What the kernel does not keep for us, per socket. */
struct sock_acc {
	__u64 start_ns;
	__u64 data_octets_in;
	__u32 start_known;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sock_acc);
} sock_accs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

/*
 * Never used by the programs: these make the object's BTF describe the records,
 * so that the agent can check its decoders against them at load time.
 */
const struct estats_sock_record *estats_sock_record_btf __attribute__((unused));
const struct estats_event *estats_event_btf __attribute__((unused));

/* Key 0: events that found the ring buffer full (the agent logs and repairs them). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} events_dropped SEC(".maps");

/*
 * Storage for a socket, created on first sight. A socket first seen here
 * (it predates the agent) gets the current time as start, flagged as not
 * the real start.
 */
static __always_inline struct sock_acc *sock_acc_get(void *sk)
{
	struct sock_acc *acc = bpf_sk_storage_get(&sock_accs, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);

	if (acc && acc->start_ns == 0)
		acc->start_ns = bpf_ktime_get_ns();
	return acc;
}

SEC("sockops")
int estats_sockops(struct bpf_sock_ops *skops)
{
	struct bpf_sock *sk;
	struct sock_acc *acc;

	/* Start of a connection: connect() for active opens, the final ACK of
	 * the handshake for passive ones (when the child socket is created). */
	if (skops->op != BPF_SOCK_OPS_TCP_CONNECT_CB &&
	    skops->op != BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB)
		return 1;
	sk = skops->sk;
	if (!sk)
		return 1;
	acc = bpf_sk_storage_get(&sock_accs, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (acc) {
		acc->start_ns = bpf_ktime_get_ns();
		acc->start_known = 1;
	}
	return 1;
}

/*
 * Start of tcp_rcv_established: one call per processed skb. Counting
 * segments here would undercount (backlog coalescing merges skbs), but the
 * payload octet sum is exact for the ESTABLISHED state.
 */
SEC("tp_btf/tcp_probe")
int BPF_PROG(estats_tcp_probe, struct sock *sk, const struct sk_buff *skb)
{
	struct sock_acc *acc;
	unsigned char *th = skb->data;
	__u8 doff_byte = 0;
	__u32 len = skb->len;
	__u32 hdr_len;

	if (bpf_probe_read_kernel(&doff_byte, 1, th + 12))
		return 0;
	hdr_len = (doff_byte >> 4) * 4;
	if (len <= hdr_len)
		return 0;
	acc = sock_acc_get(sk);
	if (acc)
		__sync_fetch_and_add(&acc->data_octets_in, len - hdr_len);
	return 0;
}

static __always_inline void read_tuple_v4(__u8 *dst, __be32 addr)
{
	__builtin_memcpy(dst, &addr, 4);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(estats_set_state, const struct sock *sk, const int oldstate, const int newstate)
{
	struct estats_event *ev;
	__u32 type;

	if (sk->sk_protocol != IPPROTO_TCP_NUM)
		return 0;
	if (newstate == TCP_ESTABLISHED)
		type = ESTATS_EVENT_ESTABLISHED;
	else if (newstate == TCP_CLOSE && oldstate != TCP_CLOSE)
		type = ESTATS_EVENT_CLOSED;
	else
		return 0;

	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev) {
		__u32 zero = 0;
		__u64 *dropped = bpf_map_lookup_elem(&events_dropped, &zero);

		if (dropped)
			__sync_fetch_and_add(dropped, 1);
		return 0;
	}
	/* Ring-buffer memory is not zeroed: clear all of it, padding included. */
	__builtin_memset(ev, 0, sizeof(*ev));
	ev->cookie = bpf_get_socket_cookie((void *)sk);
	ev->time_ns = bpf_ktime_get_ns();
	ev->type = type;
	ev->family = sk->__sk_common.skc_family;
	ev->old_state = oldstate;
	ev->new_state = newstate;
	/* skc_num is already 0 when the state becomes TCP_CLOSE (the port is
	 * released first); inet_sport still holds it, as for the kernel's own
	 * trace event. */
	ev->local_port = bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));
	ev->remote_port = bpf_ntohs(sk->__sk_common.skc_dport);
	if (ev->family == ESTATS_AF_INET) {
		read_tuple_v4(ev->local_addr, sk->__sk_common.skc_rcv_saddr);
		read_tuple_v4(ev->remote_addr, sk->__sk_common.skc_daddr);
	} else {
		BPF_CORE_READ_INTO(&ev->local_addr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(&ev->remote_addr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	}
	bpf_ringbuf_submit(ev, 0);
	return 0;
}

SEC("iter/tcp")
int estats_dump(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	struct estats_sock_record rec;
	struct tcp_sock *tp;
	struct sock_acc *acc;
	unsigned int hz = CONFIG_HZ ? CONFIG_HZ : 1000;

	if (!skc)
		return 0;
	__builtin_memset(&rec, 0, sizeof(rec));
	rec.cookie = bpf_get_socket_cookie(skc);
	rec.family = skc->skc_family;
	rec.state = skc->skc_state;
	rec.local_port = skc->skc_num;
	rec.remote_port = bpf_ntohs(skc->skc_dport);
	if (rec.family == ESTATS_AF_INET) {
		read_tuple_v4(rec.local_addr, skc->skc_rcv_saddr);
		read_tuple_v4(rec.remote_addr, skc->skc_daddr);
	} else {
		BPF_CORE_READ_INTO(&rec.local_addr, skc, skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(&rec.remote_addr, skc, skc_v6_daddr.in6_u.u6_addr8);
	}
	rec.now_ns = bpf_ktime_get_ns();

	/* NULL for TIME_WAIT and request sockets: they have no tcp_sock. */
	tp = bpf_skc_to_tcp_sock(skc);
	if (tp && rec.state != TCP_LISTEN) {
		rec.has_stats = 1;
		rec.inode = BPF_CORE_READ(tp, inet_conn.icsk_inet.sk.sk_socket, file, f_inode, i_ino);
		rec.last_event_us = tp->tcp_mstamp;
		rec.bytes_sent = tp->bytes_sent;
		rec.bytes_retrans = tp->bytes_retrans;
		rec.bytes_received = tp->bytes_received;
		rec.segs_out = tp->segs_out;
		rec.data_segs_out = tp->data_segs_out;
		rec.total_retrans = tp->total_retrans;
		rec.segs_in = tp->segs_in;
		rec.data_segs_in = tp->data_segs_in;
		rec.mss_cache = tp->mss_cache;
		rec.srtt_us = tp->srtt_us >> 3;
		rec.rto_ms = (__u32)((__u64)tp->inet_conn.icsk_rto * 1000 / hz);
		rec.snd_cwnd = tp->snd_cwnd;
		rec.snd_ssthresh = tp->snd_ssthresh;
		acc = sock_acc_get(tp);
		if (acc) {
			rec.start_ns = acc->start_ns;
			rec.start_known = acc->start_known;
			rec.data_octets_in = acc->data_octets_in;
		}
	} else if (tp) {
		rec.inode = BPF_CORE_READ(tp, inet_conn.icsk_inet.sk.sk_socket, file, f_inode, i_ino);
	}
	bpf_seq_write(ctx->meta->seq, &rec, sizeof(rec));
	return 0;
}
