// SPDX-License-Identifier: GPL-2.0
/*
 * pattern.c - the moving test pattern, drawn in pgroups.
 *
 * The picture is a grid of cells, one pgroup each (2 px wide for 4:2:2,
 * 4 px x 2 lines for 4:2:0 10-bit, ...), and every cell has one colour, so
 * drawing is memcpy of pre-encoded rows and any sampling and depth of the
 * ST 2110-20 pgroup table comes for the price of one bit packer.  Rows are
 * picture buffer rows: picture lines, or line pairs for 4:2:0.
 *
 * Geometry (st2110-send(1) TEST PATTERN; selftests/send/ checks it):
 *   cw = width / pgroup width (cells per row), R = buffer rows
 *   band = R/8 rows at the bottom (R/2 when R < 64); bars above it
 *   bar b = 0..7 covers cells [b*cw/8, (b+1)*cw/8): 75% white, yellow,
 *     cyan, green, magenta, red, blue, black (10-bit BT.709 narrow range,
 *     SMPTE RP 219 values; other depths shifted)
 *   band: black; frame counter n in 100% white digits in cells [0, cw/4);
 *   a 100% white box, bw = max(1, cw/16) cells wide and all band rows but
 *   a margin of band/8 top and bottom, at cell
 *   cw/4 + (n * max(1, cw/120)) mod (cw - cw/4 - bw + 1)
 */
#include <stdlib.h>
#include <string.h>

#include "send.h"

enum pat_colour {
	PC_WHITE75, PC_YELLOW, PC_CYAN, PC_GREEN, PC_MAGENTA, PC_RED, PC_BLUE,
	PC_BLACK, PC_WHITE100, PC_NCOLOURS
};

/* 10-bit narrow-range values: Y, Cb, Cr and R, G, B */
static const uint16_t pat_ycbcr[PC_NCOLOURS][3] = {
	[PC_WHITE75]	= { 721, 512, 512 },
	[PC_YELLOW]	= { 674, 176, 543 },
	[PC_CYAN]	= { 581, 589, 176 },
	[PC_GREEN]	= { 534, 253, 207 },
	[PC_MAGENTA]	= { 251, 771, 817 },
	[PC_RED]	= { 204, 435, 848 },
	[PC_BLUE]	= { 111, 848, 481 },
	[PC_BLACK]	= {  64, 512, 512 },
	[PC_WHITE100]	= { 940, 512, 512 },
};

static const uint16_t pat_rgb[PC_NCOLOURS][3] = {
	[PC_WHITE75]	= { 721, 721, 721 },
	[PC_YELLOW]	= { 721, 721,  64 },
	[PC_CYAN]	= {  64, 721, 721 },
	[PC_GREEN]	= {  64, 721,  64 },
	[PC_MAGENTA]	= { 721,  64, 721 },
	[PC_RED]	= { 721,  64,  64 },
	[PC_BLUE]	= {  64,  64, 721 },
	[PC_BLACK]	= {  64,  64,  64 },
	[PC_WHITE100]	= { 940, 940, 940 },
};

/* 3x5 digits, one bit per font pixel, top row first, MSB = left column */
static const uint8_t pat_font[10][5] = {
	{ 7, 5, 5, 5, 7 }, { 2, 6, 2, 2, 7 }, { 7, 1, 7, 4, 7 }, { 7, 1, 7, 1, 7 },
	{ 5, 5, 7, 1, 1 }, { 7, 4, 7, 1, 7 }, { 7, 4, 7, 5, 7 }, { 7, 1, 1, 1, 1 },
	{ 7, 5, 7, 5, 7 }, { 7, 5, 7, 1, 7 },
};

#define PAT_MAX_DIGITS	8

struct pattern {
	const struct st2110_video_layout *l;
	uint8_t *pic;
	uint32_t cw;			/* cells per row */
	uint32_t nrows;			/* buffer rows */
	uint32_t cell_bytes;
	uint32_t band_row0, band_rows, margin;
	uint32_t digits_cells, box_cells, box_step;
	uint32_t font_w, font_h, ndigits, digits_x;
	uint8_t *colour_row[PC_NCOLOURS];	/* a whole row of one colour */
};

struct bitpack {
	uint8_t *p;
	uint32_t acc;
	int bits;
};

static void bitpack_put(struct bitpack *b, uint32_t v, int depth)
{
	int i;

	for (i = depth - 1; i >= 0; i--) {
		b->acc = b->acc << 1 | ((v >> i) & 1);
		if (++b->bits == 8) {
			*b->p++ = (uint8_t)b->acc;
			b->acc = 0;
			b->bits = 0;
		}
	}
}

static uint32_t pat_scale(uint16_t v10, unsigned int depth)
{
	switch (depth) {
	case 8:  return v10 >> 2;
	case 12: return (uint32_t)v10 << 2;
	case 16: return (uint32_t)v10 << 6;
	}
	return v10;
}

/*
 * One pgroup of a uniform colour, samples in ST 2110-20 order:
 * 4:2:2 Cb Y Cr Y; 4:4:4 Cb Y Cr per pixel; RGB R G B; XYZ X Y Z;
 * 4:2:0 Y Y Y Y Cb Cr per 2x2 block; KEY one sample per pixel.
 */
static void pat_encode(const struct st2110_video_layout *l, enum pat_colour c, uint8_t *out)
{
	unsigned int depth = l->fmt.depth, nsamples = l->pg.bytes * 8 / depth, i;
	const uint16_t *yuv = pat_ycbcr[c], *rgb = pat_rgb[c];
	struct bitpack b = { .p = out };
	uint16_t seq[6];
	unsigned int period;

	switch (l->fmt.sampling) {
	case ST2110_SAMPLING_RGB:
	case ST2110_SAMPLING_XYZ:
		seq[0] = rgb[0]; seq[1] = rgb[1]; seq[2] = rgb[2];
		period = 3;
		break;
	case ST2110_SAMPLING_KEY:
		seq[0] = yuv[0];
		period = 1;
		break;
	case ST2110_SAMPLING_YCBCR_422:
	case ST2110_SAMPLING_CLYCBCR_422:
	case ST2110_SAMPLING_ICTCP_422:
		seq[0] = yuv[1]; seq[1] = yuv[0]; seq[2] = yuv[2]; seq[3] = yuv[0];
		period = 4;
		break;
	case ST2110_SAMPLING_YCBCR_420:
	case ST2110_SAMPLING_CLYCBCR_420:
	case ST2110_SAMPLING_ICTCP_420:
		seq[0] = seq[1] = seq[2] = seq[3] = yuv[0];
		seq[4] = yuv[1]; seq[5] = yuv[2];
		period = 6;
		break;
	default:			/* 4:4:4 */
		seq[0] = yuv[1]; seq[1] = yuv[0]; seq[2] = yuv[2];
		period = 3;
	}
	for (i = 0; i < nsamples; i++)
		bitpack_put(&b, pat_scale(seq[i % period], depth), (int)depth);
}

struct pattern *pattern_new(const struct st2110_video_layout *l, uint8_t *pic)
{
	struct pattern *p = calloc(1, sizeof(*p));
	uint32_t c, x, fh_rows;

	if (!p)
		return NULL;
	p->l = l;
	p->pic = pic;
	p->cw = l->row_pgroups;
	p->nrows = l->rows_per_field * l->fields;
	p->cell_bytes = l->pg.bytes;
	for (c = 0; c < PC_NCOLOURS; c++) {
		p->colour_row[c] = malloc(l->row_bytes);
		if (!p->colour_row[c]) {
			pattern_free(p);
			return NULL;
		}
		pat_encode(l, (enum pat_colour)c, p->colour_row[c]);
		for (x = 1; x < p->cw; x++)
			memcpy(p->colour_row[c] + x * p->cell_bytes, p->colour_row[c],
			       p->cell_bytes);
	}
	p->band_rows = p->nrows >= 64 ? p->nrows / 8 : p->nrows / 2;
	p->band_row0 = p->nrows - p->band_rows;
	p->margin = p->band_rows / 8;
	p->digits_cells = p->cw / 4;
	p->box_cells = p->cw / 16 ? p->cw / 16 : 1;
	p->box_step = p->cw / 120 ? p->cw / 120 : 1;

	/* square-ish font pixels: a cell is pg.cols px wide, a row pg.rows lines */
	fh_rows = p->band_rows - 2 * p->margin;
	p->font_h = fh_rows / 5;
	p->font_w = p->font_h * l->pg.rows / l->pg.cols;
	if (!p->font_w)
		p->font_w = 1;
	p->ndigits = p->font_h ? p->digits_cells / (4 * p->font_w) : 0;
	if (p->ndigits > PAT_MAX_DIGITS)
		p->ndigits = PAT_MAX_DIGITS;
	p->digits_x = (p->digits_cells - p->ndigits * 4 * p->font_w) / 2;
	return p;
}

static void pat_fill(struct pattern *p, enum pat_colour c, uint32_t x0, uint32_t x1,
		     uint32_t y0, uint32_t y1)
{
	uint32_t y;

	if (x1 > p->cw)
		x1 = p->cw;
	if (y1 > p->nrows)
		y1 = p->nrows;
	if (x0 >= x1)
		return;
	for (y = y0; y < y1; y++)
		memcpy(p->pic + (size_t)y * p->l->row_bytes + x0 * p->cell_bytes,
		       p->colour_row[c] + x0 * p->cell_bytes, (x1 - x0) * p->cell_bytes);
}

void pattern_draw_static(struct pattern *p)
{
	uint32_t b;

	for (b = 0; b < 8; b++)
		pat_fill(p, (enum pat_colour)(PC_WHITE75 + b), b * p->cw / 8,
			 (b + 1) * p->cw / 8, 0, p->band_row0);
}

static void pat_digit(struct pattern *p, unsigned int d, uint32_t x0, uint32_t y0)
{
	uint32_t r, col;

	for (r = 0; r < 5; r++)
		for (col = 0; col < 3; col++)
			if (pat_font[d][r] & (4 >> col))
				pat_fill(p, PC_WHITE100, x0 + col * p->font_w,
					 x0 + (col + 1) * p->font_w,
					 y0 + r * p->font_h, y0 + (r + 1) * p->font_h);
}

void pattern_draw_band(struct pattern *p, uint64_t n, uint32_t *row0, uint32_t *rows)
{
	uint32_t span, x, i;
	uint64_t v = n;

	*row0 = p->band_row0;
	*rows = p->band_rows;
	if (!p->band_rows)
		return;
	pat_fill(p, PC_BLACK, 0, p->cw, p->band_row0, p->nrows);

	if (p->cw > p->digits_cells + p->box_cells) {
		span = p->cw - p->digits_cells - p->box_cells + 1;
		x = p->digits_cells + (uint32_t)((n * p->box_step) % span);
		pat_fill(p, PC_WHITE100, x, x + p->box_cells, p->band_row0 + p->margin,
			 p->nrows - p->margin);
	}
	for (i = p->ndigits; i > 0; i--) {
		pat_digit(p, (unsigned int)(v % 10),
			  p->digits_x + (i - 1) * 4 * p->font_w, p->band_row0 + p->margin);
		v /= 10;
	}
}

void pattern_free(struct pattern *p)
{
	unsigned int c;

	if (!p)
		return;
	for (c = 0; c < PC_NCOLOURS; c++)
		free(p->colour_row[c]);
	free(p);
}
