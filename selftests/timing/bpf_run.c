// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_run.c - run the timing core inside the kernel's BPF VM and compare.
 *
 * Loads the st2110_timing XDP program of bpf_timing.o (so the verifier has
 * to accept the fast path), then for every vector row and many random
 * times writes the inputs into the program's .bss, runs it once with
 * BPF_PROG_TEST_RUN and compares its outputs bit for bit with the same
 * timing_compute() run on the host.  No packet is sent anywhere.
 *
 * usage: bpf_run BPF_OBJECT     exit 0 pass, 1 fail, 4 skip (no BPF rights)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "bpf_timing.h"
#include "st2110_21_vectors.h"

#define CASES_PER_STREAM	100
#define KSFT_SKIP		4

static char log_buf[1 << 16];
static size_t log_len;

/* Keep libbpf's messages (the verifier log on failure) for the report. */
static int keep_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	if (log_len < sizeof(log_buf))
		log_len += vsnprintf(log_buf + log_len, sizeof(log_buf) - log_len, fmt, ap);
	return 0;
}

static void print_log_tail(void)
{
	const char *p = log_buf + (log_len > 3000 ? log_len - 3000 : 0);

	for (; *p; p++) {
		if (p == log_buf || p[-1] == '\n')
			fputs("# ", stdout);
		putchar(*p);
	}
}

/* Offset of the global 'io' inside the .bss map, from the object's BTF. */
static long bss_offset(struct bpf_object *obj, const char *var)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	int id, i;

	id = btf ? btf__find_by_name_kind(btf, ".bss", BTF_KIND_DATASEC) : -1;
	if (id < 0)
		return -1;
	sec = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *v = btf__type_by_id(btf, vs->type);

		if (!strcmp(btf__name_by_offset(btf, v->name_off), var))
			return vs->size == sizeof(struct bt_io) ? (long)vs->offset : -1;
	}
	return -1;
}

static unsigned long long rng = 0x2545f4914f6cdd1dULL;

static unsigned long long rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

/*
 * Inputs at a random time: the schedule of row v, the layout of row f (the
 * same row, unless v is a capture row with no derivable layout).
 */
static int make_input(struct bt_in *in, const struct vec *v, const struct vec *f,
		      unsigned int type)
{
	static const struct st2110_audio_fmt audio[] = {
		{ 48000, 48, 8, 24, 0 }, { 48000, 6, 64, 24, 0 }, { 96000, 12, 2, 16, 0 },
		{ 44100, 44, 2, 24, 0 }, { 48000, 16, 2, 24, 0 },
	};
	struct st2110_sched_cfg cfg = {
		.npackets = v->npackets, .height_px = v->height,
		.rate = { v->rate.num, v->rate.den }, .scan = (__u8)v->scan,
		.type = (__u8)type, .troffset_ns = ST2110_TROFFSET_DEFAULT,
	};
	struct st2110_video_fmt fmt = {
		.width_px = f->width, .height_px = f->height,
		.rate = { f->rate.num, f->rate.den },
		.max_payload_bytes = (__u16)f->payload, .scan = (__u8)f->scan,
		.sampling = ST2110_SAMPLING_YCBCR_422, .depth = ST2110_DEPTH_10,
		.packing = (__u8)f->packing,
	};
	const char *why = "";

	memset(in, 0, sizeof(*in));
	if (rnd() & 1)
		cfg.troffset_ns = rnd() % 1000000;
	if (st2110_sched_init(&in->s, &cfg, &why) ||
	    st2110_video_layout_init(&in->l, &fmt, &why)) {
		printf("# %s: %s\n", v->name, why);
		return -1;
	}
	in->audio = audio[rnd() % 5];
	in->pkt = (__u32)rnd();
	in->t_ns = (1ULL << 45) + rnd() % 4100000000000000000ULL;
	in->lead_pkts = (__u32)rnd() % 16;
	/* mostly a timestamp of this very frame or field, sometimes anything */
	in->rtp_ts = rnd() % 4 ? st2110_rtp_video_ts(&in->s.rate,
						     st2110_frame_index(&in->s, in->t_ns),
						     (__u32)rnd() & 1) : (__u32)rnd();
	in->seq_ref = (__u32)rnd();
	in->seq = (__u16)rnd();
	return 0;
}

int main(int argc, char **argv)
{
	LIBBPF_OPTS(bpf_test_run_opts, run);
	unsigned char pkt[64] = { 0 }, *value;
	struct bpf_program *prog, *init;
	unsigned int i, t, k, cases = 0, bad = 0;
	struct bpf_object *obj;
	struct bpf_map *bss;
	struct bt_io io, *mio;
	long off;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: %s BPF_OBJECT\n", argv[0]);
		return 1;
	}
	libbpf_set_print(keep_log);
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		printf("# cannot open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	prog = bpf_object__find_program_by_name(obj, "st2110_timing");
	init = bpf_object__find_program_by_name(obj, "st2110_timing_init");
	bss = bpf_object__find_map_by_name(obj, ".bss");
	off = bss_offset(obj, "io");
	if (!prog || !init || !bss || off < 0) {
		printf("# %s: program, .bss or io missing\n", argv[1]);
		return 1;
	}
	bpf_program__set_autoload(init, false);	/* see bpf_timing.h */
	err = bpf_object__load(obj);
	if (err == -EPERM || err == -EACCES) {
		printf("# SKIP: loading BPF needs CAP_BPF (%s)\n", strerror(-err));
		return KSFT_SKIP;
	}
	if (err) {
		printf("# the verifier rejected the fast path (%s):\n", strerror(-err));
		print_log_tail();
		return 1;
	}
	value = calloc(1, bpf_map__value_size(bss));
	if (!value)
		return 1;
	mio = (struct bt_io *)(value + off);
	run.data_in = pkt;
	run.data_size_in = sizeof(pkt);
	run.repeat = 1;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		/* capture rows have no derivable layout: use the first row's */
		const struct vec *f = vectors[i].payload || vectors[i].packing ?
				      &vectors[i] : &vectors[0];

		for (t = 0; t < 2; t++) {
			for (k = 0; k < CASES_PER_STREAM; k++) {
				if (make_input(&io.in, &vectors[i], f,
					       t ? ST2110_TYPE_W : ST2110_TYPE_N))
					return 1;
				memset(&io.out, 0, sizeof(io.out));
				memcpy(mio, &io, sizeof(io));
				err = bpf_map__update_elem(bss, &(int){ 0 }, sizeof(int), value,
							   bpf_map__value_size(bss), 0);
				err = err ? err : bpf_prog_test_run_opts(bpf_program__fd(prog), &run);
				err = err ? err : bpf_map__lookup_elem(bss, &(int){ 0 }, sizeof(int),
								       value, bpf_map__value_size(bss), 0);
				if (err || run.retval != XDP_PASS) {
					printf("# test run failed: %s, retval %u\n", strerror(-err),
					       run.retval);
					return 1;
				}
				timing_compute(&io.in, &io.out);
				cases++;
				if (memcmp(&mio->out, &io.out, sizeof(io.out))) {
					if (bad++ < 5)
						printf("# %s type %u t=%llu: BPF and host differ "
						       "(frame %llu/%llu, tpr %llu/%llu, drain %llu/%llu)\n",
						       vectors[i].name, t, (unsigned long long)io.in.t_ns,
						       (unsigned long long)mio->out.frame,
						       (unsigned long long)io.out.frame,
						       (unsigned long long)mio->out.tpr_ns,
						       (unsigned long long)io.out.tpr_ns,
						       (unsigned long long)mio->out.drain,
						       (unsigned long long)io.out.drain);
				}
			}
		}
	}
	printf("# %u cases run in the kernel BPF VM, %u differ from the host\n", cases, bad);
	bpf_object__close(obj);
	free(value);
	return bad ? 1 : 0;
}
