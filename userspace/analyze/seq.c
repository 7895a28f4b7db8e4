// SPDX-License-Identifier: GPL-2.0
/* seq.c - sequence statistics (see seq.h). */
#include <linux/types.h>
#include <string.h>

#include <st2110/st2110.h>

#include "seq.h"

static inline void bit_set(struct seqstat *s, uint64_t n)
{
	s->win[(n % SEQ_WIN) / 64] |= 1ULL << (n % 64);
}

static inline void bit_clear(struct seqstat *s, uint64_t n)
{
	s->win[(n % SEQ_WIN) / 64] &= ~(1ULL << (n % 64));
}

static inline bool bit_test(const struct seqstat *s, uint64_t n)
{
	return s->win[(n % SEQ_WIN) / 64] >> (n % 64) & 1;
}

static void seq_start(struct seqstat *s, uint64_t ext)
{
	memset(s->win, 0, sizeof(s->win));
	s->started = true;
	s->highest = ext;
	bit_set(s, ext);
	s->received++;
}

enum seq_result seq_update(struct seqstat *s, uint64_t ext)
{
	uint64_t gap, n;

	if (!s->started) {
		seq_start(s, ext);
		return SEQ_NEXT;
	}
	if (ext > s->highest) {
		gap = ext - s->highest - 1;
		if (gap >= SEQ_JUMP) {
			s->restarts++;
			seq_start(s, ext);
			return SEQ_RESTART;
		}
		if (gap >= SEQ_WIN)
			memset(s->win, 0, sizeof(s->win));
		else
			for (n = s->highest + 1; n < ext; n++)
				bit_clear(s, n);
		bit_set(s, ext);
		s->highest = ext;
		s->lost += gap;
		s->received++;
		return gap ? SEQ_AHEAD : SEQ_NEXT;
	}
	if (s->highest - ext >= SEQ_WIN) {
		if (s->highest - ext >= SEQ_JUMP) {
			s->restarts++;
			seq_start(s, ext);
			return SEQ_RESTART;
		}
		/* older than the window: cannot tell, assume it was missing */
		if (s->lost)
			s->lost--;
		s->reordered++;
		s->received++;
		return SEQ_LATE;
	}
	if (bit_test(s, ext)) {
		s->duplicates++;
		return SEQ_DUP;
	}
	bit_set(s, ext);
	if (s->lost)
		s->lost--;
	s->reordered++;
	s->received++;
	return SEQ_LATE;
}

uint64_t seq_unwrap(struct sequnwrap *u, uint16_t esn, uint16_t seq)
{
	uint32_t ext32;

	if (!u->started) {
		u->started = true;
		u->last = u->use_esn ? st2110_seq_ext(esn, seq) : seq;
		u->last_esn = esn;
		u->last_seq = seq;
		return u->last;
	}
	/*
	 * A sender that leaves the ESN at a constant value would make every
	 * 16-bit wrap look like a jump back by 65536: notice the first forward
	 * wrap without an ESN step and fall back to the 16-bit number.
	 */
	if (u->use_esn && !u->esn_broken && seq < u->last_seq &&
	    (uint16_t)(seq - u->last_seq) < 0x8000 && esn == u->last_esn)
		u->esn_broken = true;
	if (u->use_esn && !u->esn_broken)
		ext32 = st2110_seq_ext(esn, seq);
	else
		ext32 = st2110_seq_unwrap16((uint32_t)u->last, seq);
	u->last = st2110_seq_unwrap32(u->last, ext32);
	u->last_esn = esn;
	u->last_seq = seq;
	return u->last;
}
