/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Records that cross from the kernel to the agent. Java decodes them with
 * MemoryLayouts (agent: tcpestats.collect.Records) that are checked against
 * this object's BTF at load time, so a change here must be made there too.
 * Multi-byte fields are in host order except the addresses (network order).
 */
#ifndef ESTATS_H
#define ESTATS_H

#define ESTATS_AF_INET  2
#define ESTATS_AF_INET6 10

/*
 * The constants the agent shares with this object are enums, not macros: enums used as a
 * type reach the object's BTF, where the agent checks its own copies when it loads it.
 */

/* Bits of the control word (map "controls"): tables whose per-segment work is on. */
enum estats_control {
	ESTATS_CTL_PATH  = 1 << 0,
	ESTATS_CTL_STACK = 1 << 1,
	ESTATS_CTL_APP   = 1 << 2,
};

/*
 * The one entry of the event_counts map. spilled: events put in spilled_events, so that
 * the agent walks that map (a walk of an empty hash still visits every bucket) only when
 * there is something in it; lost: events lost because the ring buffer and spilled_events
 * were both full.
 */
struct estats_event_counts {
	__u64 lost;
	__u64 spilled;
};

/* acc.flags: per-socket state of the accumulators */
#define ESTATS_F_POST_CONG      (1U << 0) /* a congestion signal waits for its next RTT sample */
#define ESTATS_F_RWIN_SENT_ZERO (1U << 1) /* the last window we sent was zero */
#define ESTATS_F_RWIN_RCVD_ZERO (1U << 2) /* the last window the peer sent was zero */
#define ESTATS_F_LAST_ACK_DUP   (1U << 3) /* the last ACK we sent was a duplicate */
#define ESTATS_F_ECE_SENT       (1U << 4) /* the last segment we sent carried ECE */
#define ESTATS_F_ACK_SENT       (1U << 5) /* last_ack_sent/last_win_sent are valid */
#define ESTATS_F_UNDO_WATCH_FR  (1U << 6) /* Recovery ended without undo: a late D-SACK may still undo it */
#define ESTATS_F_UNDO_WATCH_RTO (1U << 7) /* the same after Loss */
#define ESTATS_F_ACK_RCVD       (1U << 8) /* highest_ack_rcvd/last_win_rcvd are valid */

/*
 * What the kernel does not keep for us, accumulated per socket in SK_STORAGE
 * since the agent first saw the socket. 64-bit counters; the MIB's 32-bit
 * objects are their low halves.
 */
struct estats_acc {
	__u64 start_ns;             /* connection start, or first sight (start_known = 0) */
	__u64 data_octets_in;       /* payload of every segment received (cgroup ingress) */
	__u64 sum_rtt_us;           /* RTT samples (sockops RTT_CB) */
	__u64 pre_cong_sum_cwnd;    /* octets, cwnd before each congestion signal */
	__u64 pre_cong_sum_rtt_us;
	__u64 post_cong_sum_rtt_us;
	__u64 sum_octets_reordered;
	__u64 listen_syn_rcvd;      /* listeners: SYNs received */
	__u32 start_known;
	__u32 active_open;          /* 1 active, 2 passive, 0 not seen */
	__u32 flags;                /* ESTATS_F_* */
	__u32 count_rtt;
	__u32 sample_rtt_us;
	__u32 max_rtt_us;
	__u32 min_rtt_us;           /* 0 = no sample yet */
	__u32 max_rto_ms;
	__u32 min_rto_ms;           /* 0 = no sample yet */
	__u32 post_cong_count_rtt;
	__u32 cong_signals;
	__u32 fast_retran;
	__u32 non_recov_da_episodes;
	__u32 non_recov_da;
	__u32 dupacks_since_advance; /* dup ACKs received since SND.UNA last advanced */
	__u32 episode_dupacks;      /* ... and their number when it last advanced */
	__u32 episode_advance;      /* octets SND.UNA advanced then */
	__u32 spurious_fr;
	__u32 spurious_rto;
	__u32 cong_over_count;
	__u32 abrupt_timeouts;
	__u32 slow_start;
	__u32 cong_avoid;
	__u32 prev_cwnd;
	__u32 max_ss_cwnd;          /* octets */
	__u32 max_ca_cwnd;
	__u32 max_ssthresh;
	__u32 min_ssthresh;         /* 0 = no sample yet */
	__u32 max_mss;
	__u32 min_mss;
	__u32 max_pipe_size;        /* octets */
	__u32 max_retx_queue;
	__u32 max_reasm_queue;
	__u32 max_app_wqueue;
	__u32 max_app_rqueue;
	__u32 max_rwin_sent;
	__u32 zero_rwin_sent;
	__u32 zero_rwin_rcvd;
	__u32 dup_acks_in;
	__u32 dup_acks_out;
	__u32 dup_ack_episodes;
	__u32 ece_sent;
	__u32 ecn_signals;
	__u32 sacks_rcvd;
	__u32 sack_blocks_rcvd;
	__u32 soft_errors;
	__u32 soft_error_reason;    /* tcpEStatsStackSoftErrorReason, 0 = none yet */
	__u32 last_ack_sent;
	__u32 last_win_sent;
	__u32 highest_ack_rcvd;     /* greatest ACK number received (cgroup ingress) */
	__u32 last_win_rcvd;        /* window field of the last ACK received, unscaled */
	__u8  ip_ttl;               /* last received TTL / hop limit, 0 = none yet */
	__u8  ip_tos_in;
	__u8  pad[2];
};

/*
 * One record per socket, written by the iter/tcp program. Its values are plain quantities:
 * octets and microseconds (milliseconds where the kernel counts in jiffies), never the
 * kernel's encodings (srtt << 3, jiffies, segments); the agent only scales microseconds
 * to the MIB's milliseconds.
 */
struct estats_sock_record {
	__u64 cookie;           /* socket cookie: the key of a connection */
	__u64 inode;            /* socket inode (0 without a struct socket), for the owning process */
	__u8  family;           /* ESTATS_AF_INET or ESTATS_AF_INET6 */
	__u8  state;            /* kernel TCP state (TCP_ESTABLISHED = 1 ... TCP_NEW_SYN_RECV = 12) */
	__u8  has_stats;        /* 1 when the fields below come from a full tcp_sock */
	__u8  ca_state;         /* icsk_ca_state */
	__u16 local_port;       /* host order */
	__u16 remote_port;      /* host order */
	__u8  local_addr[16];   /* network order; IPv4 in the first 4 octets */
	__u8  remote_addr[16];
	__u64 now_ns;           /* bpf_ktime_get_ns() when the record was written */
	__u64 netns_cookie;     /* the network namespace's cookie (bpf_get_netns_cookie) */
	__u64 netns;            /* the network namespace's inode, as stat -L -c %i /proc/PID/ns/net prints it */
	__u64 last_event_us;    /* tp->tcp_mstamp: last segment sent or received (CLOCK_MONOTONIC us) */
	__u64 bytes_sent;       /* payload octets sent, retransmissions included */
	__u64 bytes_retrans;
	__u64 bytes_received;   /* in-order new payload octets */
	__u64 bytes_acked;
	__u32 segs_out;
	__u32 data_segs_out;
	__u32 total_retrans;
	__u32 segs_in;
	__u32 data_segs_in;
	__u32 mss_cache;
	__u32 srtt_us;          /* smoothed RTT, microseconds (already divided by 8) */
	__u32 mdev_us;          /* mean deviation, microseconds (already divided by 4) */
	__u32 rcv_rtt_us;       /* receiver's RTT estimate, microseconds */
	__u32 rto_ms;           /* icsk_rto converted from jiffies */
	__u32 cwnd_octets;      /* tp->snd_cwnd times the MSS */
	__u32 ssthresh_octets;  /* tp->snd_ssthresh times the MSS; 0xffffffff while infinite */
	__u32 snd_cwnd_clamp;   /* segments, as a Tune SET restores it */
	__u32 cwnd_clamp_octets; /* the same times the MSS */
	__u32 window_clamp;
	__u32 snd_una;
	__u32 snd_nxt;
	__u32 rcv_nxt;
	__u32 write_seq;
	__u32 copied_seq;
	__u32 pipe_octets;      /* segments in flight (tcp_packets_in_flight) times the MSS */
	__u32 sacked_out;
	__u32 retrans_out;
	__u32 rcv_wnd;
	__u32 snd_wnd;
	__u32 max_window;
	__u32 reordering;
	__u32 received_ce;
	__u32 dsack_dups;
	__u32 reasm_queue;      /* octets from rcv_nxt to the end of the out-of-order queue */
	__u32 rwnd_limited_ms;  /* chrono times, the running one included */
	__u32 busy_ms;
	__u32 sndbuf_limited_ms;
	__u32 listen_drops;     /* listeners: sk_drops */
	__u32 ack_backlog;      /* listeners: sk_ack_backlog */
	__u32 max_ack_backlog;  /* listeners: sk_max_ack_backlog */
	__u32 syn_queue;        /* listeners: request sockets (icsk_accept_queue.qlen) */
	__u16 total_rto;
	__u16 total_rto_recoveries;
	__u16 advmss;
	__u16 user_mss;
	__u16 mss_clamp;
	__u8  retransmits;      /* icsk_retransmits */
	__u8  tstamp_ok;
	__u8  sack_ok;
	__u8  wscale_ok;
	__u8  snd_wscale;
	__u8  rcv_wscale;
	__u8  ecn_ok;
	__u8  nonagle;
	__u8  tos_out;          /* IPv4 TOS or IPv6 traffic class */
	__u8  v6only;           /* IPv6 socket that does not accept IPv4 (IPV6_V6ONLY) */
	__u8  followed;         /* sockops' state callback follows it (its close needs no tracepoint) */
	__u8  pad1[7];
	struct estats_acc acc;
};

enum estats_event_type {
	ESTATS_EVENT_ESTABLISHED = 1,
	ESTATS_EVENT_CLOSED = 2,
};

/*
 * Lifecycle event from inet_sock_set_state, sent on the ring buffer (or, when it is
 * full, kept in the spilled_events map until the agent drains it). A CLOSED event
 * carries the connection's final record; an ESTABLISHED one only its identity.
 */
struct estats_event {
	__u64 time_ns;
	enum estats_event_type type;
	__u8  old_state;
	__u8  new_state;
	__u16 pad0;
	struct estats_sock_record rec;
};

/* Key of a spilled event. */
struct estats_event_key {
	__u64 cookie;
	__u32 type;
	__u32 pad0;
};

/* Key of the per-listening-endpoint counters (map "listen_counts"). */
struct estats_listen_key {
	__u8  family;
	__u8  pad0;
	__u16 port;             /* host order */
	__u8  addr[16];         /* network order; IPv4 in the first 4 octets */
	__u32 pad1;
	__u64 netns_cookie;     /* the endpoint's network namespace */
};

/* Handshakes seen for a local address and port, attributed to its listener by the agent. */
struct estats_listen_counts {
	__u64 initial;          /* request sockets created (SYN-ACK sent) */
	__u64 established;      /* passive connections established */
};

/* A SET of the Tune table, applied by the estats_tune iterator (0 = leave as is). */
struct estats_tune_request {
	__u32 cwnd_clamp;       /* segments (TCP_BPF_SNDCWND_CLAMP) */
	__u32 window_clamp;     /* octets (TCP_WINDOW_CLAMP) */
};

/* What bpf_setsockopt returned for a request (0 = applied, else -errno). */
struct estats_tune_result {
	__u64 cookie;
	__s32 cwnd_rc;
	__s32 window_rc;
};

/* What estats_clock reads, for the agent to measure the kernel's tick rate. */
struct estats_clock {
	__u64 ktime_ns;         /* bpf_ktime_get_ns() */
	__u64 jiffies;          /* bpf_jiffies64() */
};

#endif /* ESTATS_H */
