// SPDX-License-Identifier: GPL-2.0
/*
 * audio.c - the sine tone of the ST 2110-30 stream.
 *
 * The tone's phase is a function of the sample index counted from the
 * SMPTE epoch (the RTP clock), so two senders, or one restarted, produce
 * the same samples for the same timestamps.  An integer frequency repeats
 * after rate/gcd(rate, f) samples; that one period is tabulated once.
 * The same tone is on every channel, at -18 dBFS (EBU R68 alignment).
 */
#include <math.h>
#include <stdlib.h>

#include "send.h"

struct tone {
	struct st2110_audio_fmt fmt;
	uint32_t period;		/* samples */
	int32_t *sample;
};

struct tone *tone_new(const struct st2110_audio_fmt *a, uint32_t tone_hz)
{
	struct tone *t = calloc(1, sizeof(*t));
	double full = a->depth_bits == 24 ? 8388607.0 : 32767.0;
	double amp = full * pow(10.0, -18.0 / 20.0);
	uint32_t n;

	if (!t)
		return NULL;
	t->fmt = *a;
	t->period = a->rate_hz / (uint32_t)st2110_gcd64(a->rate_hz, tone_hz);
	t->sample = malloc(t->period * sizeof(*t->sample));
	if (!t->sample) {
		free(t);
		return NULL;
	}
	for (n = 0; n < t->period; n++)
		t->sample[n] = (int32_t)lrint(amp * sin(2.0 * M_PI * (double)tone_hz *
							(double)n / (double)a->rate_hz));
	return t;
}

void tone_fill(const struct tone *t, uint64_t k, uint8_t *out)
{
	uint32_t spp = t->fmt.samples_per_pkt, i, c;
	uint32_t idx = (uint32_t)((k % t->period) * spp % t->period);

	for (i = 0; i < spp; i++) {
		int32_t v = t->sample[idx];

		for (c = 0; c < t->fmt.channels; c++) {
			if (t->fmt.depth_bits == 24)
				*out++ = (uint8_t)(v >> 16);
			*out++ = (uint8_t)(v >> 8);
			*out++ = (uint8_t)v;
		}
		if (++idx == t->period)
			idx = 0;
	}
}

void tone_free(struct tone *t)
{
	if (!t)
		return;
	free(t->sample);
	free(t);
}
