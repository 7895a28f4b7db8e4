// SPDX-License-Identifier: GPL-2.0
/*
 * vframe.c - one video frame as ready-to-send packets.
 *
 * The packets of a frame lie back to back in one buffer with everything
 * but the sequence number and the timestamp already written: RTP version,
 * marker and PT, SSRC, the SRD headers (the layout is the same every
 * frame) and the pixel data.  The hot loop therefore only stamps 8 bytes
 * per packet, and a run of equal-size packets is already one contiguous
 * UDP GSO super-packet.  Between frames only the packets carrying the
 * pattern's moving band are re-copied from the picture buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "send.h"

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

static void vframe_pack(struct vframe *vf, const struct vpkt *vp)
{
	uint8_t *d = vf->buf + vp->off + ST2110_RTP_HDR_LEN + ST2110_20_ESN_LEN +
		     ST2110_20_SRD_LEN * vp->nsrd;
	unsigned int k;

	for (k = 0; k < vp->nsrd; k++) {
		memcpy(d, vf->pic + vp->pic_off[k], vp->seg_len[k]);
		d += vp->seg_len[k];
	}
}

int vframe_init(struct vframe *vf, const struct st2110_video_layout *l,
		const struct send_cfg *cfg, const char **reason)
{
	struct st2110_pkt p;
	uint32_t j, k, off = 0, row0, rows;
	uint8_t *h;

	memset(vf, 0, sizeof(*vf));
	vf->l = l;
	vf->npkts = l->npackets;
	vf->pic_bytes = (size_t)l->rows_per_field * l->fields * l->row_bytes;
	vf->pic = calloc(1, vf->pic_bytes);
	vf->pkt = calloc(vf->npkts, sizeof(*vf->pkt));
	vf->band_pkts = calloc(vf->npkts, sizeof(*vf->band_pkts));
	if (!vf->pic || !vf->pkt || !vf->band_pkts)
		goto nomem;

	for (j = 0; j < vf->npkts; j++) {
		struct vpkt *vp = &vf->pkt[j];

		if (st2110_video_pkt(l, j, &p)) {
			*reason = "timing core refused a packet index below NPACKETS";
			return -1;
		}
		vp->off = off;
		vp->len = (uint16_t)(ST2110_RTP_HDR_LEN + ST2110_20_ESN_LEN +
				     ST2110_20_SRD_LEN * p.nsrd + p.data_bytes);
		vp->field = (uint8_t)p.field;
		vp->nsrd = (uint8_t)p.nsrd;
		vp->row_lo = UINT32_MAX;
		for (k = 0; k < p.nsrd; k++) {
			uint64_t po = st2110_video_srd_frame_offset(l, p.field, &p.srd[k]);
			uint32_t row = (uint32_t)(po / l->row_bytes);

			vp->pic_off[k] = (uint32_t)po;
			vp->seg_len[k] = p.srd[k].length_bytes;
			if (row < vp->row_lo)
				vp->row_lo = row;
			if (row > vp->row_hi)
				vp->row_hi = row;
		}
		off += vp->len;
	}
	vf->buf_bytes = off;
	vf->buf = calloc(1, vf->buf_bytes ? vf->buf_bytes : 1);
	if (!vf->buf)
		goto nomem;

	for (j = 0; j < vf->npkts; j++) {
		const struct vpkt *vp = &vf->pkt[j];

		st2110_video_pkt(l, j, &p);
		h = vf->buf + vp->off;
		h[ST2110_RTP_OFF_VPXCC] = ST2110_RTP_VERSION << ST2110_RTP_VERSION_SHIFT;
		h[ST2110_RTP_OFF_MPT] = (uint8_t)((p.marker ? ST2110_RTP_MARKER : 0) |
						  (cfg->pt & ST2110_RTP_PT_MASK));
		put_be32(h + ST2110_RTP_OFF_SSRC, cfg->ssrc);
		h += ST2110_RTP_HDR_LEN + ST2110_20_ESN_LEN;
		for (k = 0; k < p.nsrd; k++, h += ST2110_20_SRD_LEN) {
			put_be16(h, p.srd[k].length_bytes);
			put_be16(h + 2, (uint16_t)((p.field ? ST2110_20_SRD_F : 0) |
						   (p.srd[k].row & ST2110_20_SRD_ROW_MASK)));
			put_be16(h + 4, (uint16_t)((k + 1 < p.nsrd ? ST2110_20_SRD_C : 0) |
						   (p.srd[k].offset_px & ST2110_20_SRD_OFFSET_MASK)));
		}
	}

	vf->pat = pattern_new(l, vf->pic);
	if (!vf->pat)
		goto nomem;
	pattern_draw_static(vf->pat);
	pattern_draw_band(vf->pat, 0, &row0, &rows);
	for (j = 0; j < vf->npkts; j++) {
		vframe_pack(vf, &vf->pkt[j]);
		if (rows && vf->pkt[j].row_hi >= row0 && vf->pkt[j].row_lo < row0 + rows)
			vf->band_pkts[vf->band_npkts++] = j;
	}
	vf->counter = 0;
	return 0;

nomem:
	*reason = "out of memory for the frame buffers";
	return -1;
}

void vframe_prepare(struct vframe *vf, uint64_t counter)
{
	uint32_t i, row0, rows;

	if (counter == vf->counter)
		return;
	pattern_draw_band(vf->pat, counter, &row0, &rows);
	for (i = 0; i < vf->band_npkts; i++)
		vframe_pack(vf, &vf->pkt[vf->band_pkts[i]]);
	vf->counter = counter;
}

void vframe_free(struct vframe *vf)
{
	pattern_free(vf->pat);
	free(vf->pic);
	free(vf->buf);
	free(vf->pkt);
	free(vf->band_pkts);
	memset(vf, 0, sizeof(*vf));
}
