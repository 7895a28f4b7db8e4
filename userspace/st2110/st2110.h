/* SPDX-License-Identifier: GPL-2.0 */
/*
 * st2110.h - what the object files of the st2110 CLI share.
 *
 * One file per object, as iproute2 does (ip/iplink.c, ip/ipaddress.c):
 * each exports do_<object>(argc, argv) with argv[0] the first word after the
 * object name, and is listed in the table in st2110.c.  Handlers never call
 * exit(): they return an exit status, so batch mode can go on (-force) and
 * report the line that failed.
 */
#ifndef ST2110_CLI_H
#define ST2110_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* Exit status: as ip(8) and tc(8) mean them (see st2110(8), EXIT STATUS). */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

enum {
	EXIT_OK = 0,
	EXIT_RUNTIME = 1,		/* the command ran and failed */
	EXIT_USAGE = 2,			/* bad command line, unknown object/command */
};

/* Global options (st2110.c) */
extern int show_stats;			/* -s, may be repeated */
extern int show_details;		/* -d */
extern bool json;			/* -j */
extern bool pretty;			/* -p */

/* iproute2's matches(): 0 if prefix is a non-empty prefix of string. */
int matches(const char *prefix, const char *string);

/* "Command line is not complete. Try option "help"" and EXIT_USAGE. */
int incomplete_command(void);
/* "Command "x" is unknown, try "st2110 OBJECT help"." and EXIT_USAGE. */
int unknown_command(const char *object, const char *cmd);
/* "Error: ..." on stderr; returns status so handlers can 'return' it. */
int errorf(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define NEXT_ARG() \
	do { \
		argv++; \
		if (--argc <= 0) \
			return incomplete_command(); \
	} while (0)

/*
 * The objects.  New objects go here and into the table in st2110.c.
 */
int do_sdp(int argc, char **argv);
int do_ptp(int argc, char **argv);
int do_stream(int argc, char **argv);		/* stream.c */
int do_xdp(int argc, char **argv);		/* xdp.c */
int do_route(int argc, char **argv);		/* route.c */
int do_flow(int argc, char **argv);		/* flow.c */
int do_monitor(int argc, char **argv);		/* monitor.c */

#endif /* ST2110_CLI_H */
