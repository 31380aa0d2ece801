// SPDX-License-Identifier: GPL-2.0
/*
 * Loads seed.bpf.o on the cgroup2 root and drains its ring buffer, accumulating each
 * record into a per-connection table as an agent of that design would, until SIGTERM;
 * then prints "records N dropped D".
 *
 *   seed OBJECT CGROUP
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct update {
	unsigned long long cookie;
	unsigned long long time_ns;
	unsigned int variable;
	unsigned int value;
	unsigned long long reserved;
};

#define SLOTS 65536
#define VARIABLES 16

static volatile sig_atomic_t stop;
static unsigned long long records;
static struct {
	unsigned long long cookie;
	unsigned long long values[VARIABLES];
} table[SLOTS];

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int on_update(void *ctx, void *data, size_t size)
{
	const struct update *u = data;
	unsigned int slot = (unsigned int)(u->cookie * 0x9E3779B97F4A7C15ULL >> 48) % SLOTS;

	(void)ctx;
	(void)size;
	table[slot].cookie = u->cookie;
	table[slot].values[u->variable % VARIABLES] += u->value;
	records++;
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct ring_buffer *rb;
	unsigned long long dropped = 0;
	int cgroup, ncpus, zero = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: seed OBJECT CGROUP\n");
		return 2;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	cgroup = open(argv[2], O_RDONLY | O_DIRECTORY);
	obj = bpf_object__open_file(argv[1], NULL);
	if (cgroup < 0 || !obj || bpf_object__load(obj)) {
		fprintf(stderr, "seed: cannot load %s on %s\n", argv[1], argv[2]);
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		if (!bpf_program__attach_cgroup(prog, cgroup)) {
			fprintf(stderr, "seed: cannot attach %s\n", bpf_program__name(prog));
			return 1;
		}
	}
	rb = ring_buffer__new(bpf_object__find_map_fd_by_name(obj, "updates"), on_update, NULL, NULL);
	if (!rb) {
		fprintf(stderr, "seed: no ring buffer\n");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (!stop)
		ring_buffer__poll(rb, 100);
	ring_buffer__consume(rb);
	ncpus = libbpf_num_possible_cpus();
	{
		unsigned long long per_cpu[ncpus];

		if (!bpf_map_lookup_elem(bpf_object__find_map_fd_by_name(obj, "dropped"), &zero, per_cpu))
			for (int i = 0; i < ncpus; i++)
				dropped += per_cpu[i];
	}
	printf("records %llu dropped %llu\n", records, dropped);
	ring_buffer__free(rb);
	bpf_object__close(obj);
	return 0;
}
