/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Records that cross from the kernel to the agent. Java decodes them with
 * MemoryLayouts (agent: org.estats.collect.Records) that are checked against
 * this object's BTF at load time, so a change here must be made there too.
 * All multi-byte fields are little-endian host order except where noted.
 */
#ifndef ESTATS_H
#define ESTATS_H

#define ESTATS_AF_INET  2
#define ESTATS_AF_INET6 10

/* One record per socket, written by the iter/tcp program. */
struct estats_sock_record {
	__u64 cookie;           /* socket cookie: the key of a connection */
	__u64 inode;            /* socket inode (0 without a struct socket), for the owning process */
	__u8  family;           /* ESTATS_AF_INET or ESTATS_AF_INET6 */
	__u8  state;            /* kernel TCP state (TCP_ESTABLISHED = 1 ... TCP_NEW_SYN_RECV = 12) */
	__u8  has_stats;        /* 1 when the fields below come from a full tcp_sock */
	__u8  pad0;
	__u16 local_port;       /* host order */
	__u16 remote_port;      /* host order */
	__u8  local_addr[16];   /* network order; IPv4 in the first 4 octets */
	__u8  remote_addr[16];
	__u64 now_ns;           /* bpf_ktime_get_ns() when the record was written */
	__u64 start_ns;         /* connection start (CLOCK_MONOTONIC ns), or first sight by the agent */
	__u64 last_event_us;    /* tp->tcp_mstamp: last segment sent or received (CLOCK_MONOTONIC us) */
	__u64 bytes_sent;       /* payload octets sent, retransmissions included */
	__u64 bytes_retrans;
	__u64 bytes_received;   /* in-order new payload octets */
	__u64 data_octets_in;   /* payload octets of every data segment processed (accumulated) */
	__u32 segs_out;
	__u32 data_segs_out;
	__u32 total_retrans;
	__u32 segs_in;
	__u32 data_segs_in;
	__u32 mss_cache;
	__u32 srtt_us;          /* smoothed RTT, microseconds (already divided by 8) */
	__u32 rto_ms;           /* icsk_rto converted from jiffies */
	__u32 snd_cwnd;         /* segments */
	__u32 snd_ssthresh;     /* segments; >= 0x7fffffff means infinite */
	__u32 start_known;      /* 1 if start_ns is the real start, 0 if first sight */
	__u32 pad1;
};

enum estats_event_type {
	ESTATS_EVENT_ESTABLISHED = 1,
	ESTATS_EVENT_CLOSED = 2,
};

/* Lifecycle event, sent on the ring buffer from inet_sock_set_state. */
struct estats_event {
	__u64 cookie;
	__u64 time_ns;
	__u32 type;             /* enum estats_event_type */
	__u8  family;
	__u8  old_state;
	__u8  new_state;
	__u8  pad0;
	__u16 local_port;
	__u16 remote_port;
	__u8  local_addr[16];
	__u8  remote_addr[16];
	__u32 pad1;
};

#endif /* ESTATS_H */
