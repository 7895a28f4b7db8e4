/* SPDX-License-Identifier: GPL-2.0 */
/*
 * seq.h - loss, reordering and duplicates on a 64-bit unwrapped sequence.
 *
 * A packet above the highest sequence seen opens a gap: the skipped numbers
 * count as lost until they arrive (then they count as reordered instead).
 * A window of the last SEQ_WIN numbers remembers what was received, so a
 * repeat inside it is a duplicate.  Jumps of more than SEQ_JUMP numbers are
 * taken as a sender restart, not as a million lost packets.
 */
#ifndef ANALYZE_SEQ_H
#define ANALYZE_SEQ_H

#include <stdbool.h>
#include <stdint.h>

#define SEQ_WIN		65536U
#define SEQ_JUMP	(1U << 20)

enum seq_result {
	SEQ_NEXT,		/* the expected next number */
	SEQ_AHEAD,		/* ahead: the numbers skipped are missing */
	SEQ_LATE,		/* a missing number arrived: reordered */
	SEQ_DUP,
	SEQ_RESTART,		/* too far from the others: counting restarts */
};

struct seqstat {
	bool started;
	uint64_t highest;
	uint64_t received;	/* unique packets */
	uint64_t lost;		/* missing now */
	uint64_t reordered;
	uint64_t duplicates;
	uint64_t restarts;
	uint64_t win[SEQ_WIN / 64];
};

enum seq_result seq_update(struct seqstat *s, uint64_t ext);

/*
 * Extended sequence of a packet: the 32-bit ST 2110-20 number (ESN << 16 |
 * seq) when the stream carries a valid ESN, else the 16-bit RTP sequence,
 * unwrapped to 64 bits against the previous packet either way.
 */
struct sequnwrap {
	bool started;
	bool use_esn;		/* set by the caller for ST 2110-20 streams */
	bool esn_broken;	/* the ESN did not advance when seq wrapped */
	uint16_t last_esn;
	uint16_t last_seq;
	uint64_t last;
};

uint64_t seq_unwrap(struct sequnwrap *u, uint16_t esn, uint16_t seq);

#endif /* ANALYZE_SEQ_H */
