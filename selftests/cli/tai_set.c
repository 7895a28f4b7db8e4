// SPDX-License-Identifier: GPL-2.0
/*
 * tai_set - set the kernel TAI offset (adjtimex ADJ_TAI), for the VM test
 * of "st2110 ptp show" only: st2110 itself never changes a clock.
 *
 *   tai_set SECONDS
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timex.h>

int main(int argc, char **argv)
{
	struct timex tx = { .modes = ADJ_TAI };
	char *end;

	if (argc != 2)
		return fprintf(stderr, "usage: tai_set SECONDS\n"), 2;
	tx.constant = strtol(argv[1], &end, 10);
	if (*end || tx.constant < 0)
		return fprintf(stderr, "tai_set: bad offset '%s'\n", argv[1]), 2;
	if (adjtimex(&tx) < 0)
		return fprintf(stderr, "tai_set: adjtimex: %s\n", strerror(errno)), 1;
	return 0;
}
