// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * The numbers of the libbpf and kernel ABIs that the agent's FFM layer needs, printed
 * as Java properties at build time from the headers that define them (build.sh writes
 * them to bpf/abi.properties beside the BPF object). Struct sizes and offsets are those
 * of LP64; open(2) flags differ between architectures, and the build's architecture is
 * the agent's (its BPF object is built for it too).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/epoll.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define PRINT(name, value) printf("%s=%ld\n", name, (long)(value))

int main(void)
{
	PRINT("bpf_object_open_opts.size", sizeof(struct bpf_object_open_opts));
	PRINT("bpf_object_open_opts.object_name", offsetof(struct bpf_object_open_opts, object_name));
	PRINT("bpf_test_run_opts.size", sizeof(struct bpf_test_run_opts));
	PRINT("bpf_test_run_opts.ctx_in", offsetof(struct bpf_test_run_opts, ctx_in));
	PRINT("bpf_test_run_opts.ctx_size_in", offsetof(struct bpf_test_run_opts, ctx_size_in));
	PRINT("bpf_prog_info.recursion_misses", offsetof(struct bpf_prog_info, recursion_misses));
	PRINT("btf_type.size", sizeof(struct btf_type));
	PRINT("btf_member.size", sizeof(struct btf_member));
	PRINT("btf_var_secinfo.size", sizeof(struct btf_var_secinfo));
	PRINT("btf_enum.size", sizeof(struct btf_enum));
	PRINT("btf_enum64.size", sizeof(struct btf_enum64));
	PRINT("btf_param.size", sizeof(struct btf_param));
	PRINT("BTF_KIND_PTR", BTF_KIND_PTR);
	PRINT("BTF_KIND_STRUCT", BTF_KIND_STRUCT);
	PRINT("BTF_KIND_UNION", BTF_KIND_UNION);
	PRINT("BTF_KIND_ENUM", BTF_KIND_ENUM);
	PRINT("BTF_KIND_TYPEDEF", BTF_KIND_TYPEDEF);
	PRINT("BTF_KIND_FUNC_PROTO", BTF_KIND_FUNC_PROTO);
	PRINT("BTF_KIND_VAR", BTF_KIND_VAR);
	PRINT("BTF_KIND_DATASEC", BTF_KIND_DATASEC);
	PRINT("BTF_KIND_ENUM64", BTF_KIND_ENUM64);
	PRINT("EPERM", EPERM);
	PRINT("ENOENT", ENOENT);
	PRINT("EINTR", EINTR);
	PRINT("EAGAIN", EAGAIN);
	PRINT("O_RDONLY", O_RDONLY);
	PRINT("O_DIRECTORY", O_DIRECTORY);
	PRINT("O_CLOEXEC", O_CLOEXEC);
	PRINT("CLONE_NEWNET", CLONE_NEWNET);
	PRINT("epoll_event.size", sizeof(struct epoll_event));
	return 0;
}
