// SPDX-License-Identifier: GPL-2.0
/*
 * The design the project started from, kept only to be measured (bench/run, "Seed design"):
 * every variable update leaves the kernel as its own ring-buffer record, and user space
 * accumulates. Each TCP segment in either direction updates UPDATES_PER_SEGMENT variables
 * (SegsIn, DataSegsIn, DataOctetsIn, MaxRwinRcvd, DupAcksIn, IpTtl, ... as the real program
 * accumulates them in SK_STORAGE), so it emits that many records.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define UPDATES_PER_SEGMENT 8

struct update {
	__u64 cookie;
	__u64 time_ns;
	__u32 variable;
	__u32 value;
	__u64 reserved;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} updates SEC(".maps");

/* Records that found the ring buffer full: the cost of this design under load. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} dropped SEC(".maps");

static __always_inline void emit(struct __sk_buff *skb, __u32 first_variable)
{
	struct bpf_sock *sk = skb->sk;
	__u64 cookie;
	__u32 zero = 0;

	if (!sk || skb->protocol != bpf_htons(ETH_P_IP))
		return;
	sk = bpf_sk_fullsock(sk);
	if (!sk || sk->protocol != IPPROTO_TCP)
		return;
	cookie = bpf_get_socket_cookie(skb);
	for (__u32 i = 0; i < UPDATES_PER_SEGMENT; i++) {
		struct update *u = bpf_ringbuf_reserve(&updates, sizeof(*u), 0);

		if (!u) {
			__u64 *n = bpf_map_lookup_elem(&dropped, &zero);

			if (n)
				(*n)++;
			continue;
		}
		u->cookie = cookie;
		u->time_ns = bpf_ktime_get_ns();
		u->variable = first_variable + i;
		u->value = skb->len;
		u->reserved = 0;
		bpf_ringbuf_submit(u, 0);
	}
}

SEC("cgroup_skb/ingress")
int seed_ingress(struct __sk_buff *skb)
{
	emit(skb, 0);
	return 1;
}

SEC("cgroup_skb/egress")
int seed_egress(struct __sk_buff *skb)
{
	emit(skb, UPDATES_PER_SEGMENT);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
