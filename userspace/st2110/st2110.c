// SPDX-License-Identifier: GPL-2.0
/*
 * st2110 - the ST 2110 command line tool, with iproute2's conventions:
 *
 *   st2110 [ OPTIONS ] OBJECT { COMMAND | help }
 *   st2110 [ -force ] -batch FILE
 *
 * This file holds the global options, the object table and batch mode;
 * each object lives in its own file (sdp.c, stream.c, xdp.c...).  Objects and commands
 * may be abbreviated to any prefix; when two names share a prefix, the
 * one listed first wins, as in ip(8).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "netns.h"
#include "st2110.h"

#ifndef ST2110_VERSION
#define ST2110_VERSION "0.1"
#endif

int show_stats;
int show_details;
bool json;
bool pretty;

static const char *batch_file;
static bool force;

int matches(const char *prefix, const char *string)
{
	size_t n = strlen(prefix);

	return !n || n > strlen(string) || strncmp(prefix, string, n);
}

int errorf(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

int incomplete_command(void)
{
	fprintf(stderr, "Command line is not complete. Try option \"help\"\n");
	return EXIT_USAGE;
}

int unknown_command(const char *object, const char *cmd)
{
	fprintf(stderr, "Command \"%s\" is unknown, try \"st2110 %s help\".\n", cmd, object);
	return EXIT_USAGE;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: st2110 [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"       st2110 [ -force ] -batch FILE\n"
		"where  OBJECT := { sdp | stream | ptp | xdp | route | flow | monitor }\n"
		"       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -j[son] | -p[retty] |\n"
		"                    -n[etns] NAME | -b[atch] FILE | -force | -h[elp] }\n");
}

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return EXIT_OK;
}

/*
 * The objects, in abbreviation order.  To add one: write <object>.c with
 * do_<object>(), declare it in st2110.h, list it here and in usage() and
 * st2110(8), and add it to the Makefile.
 */
static const struct cmd {
	const char *name;
	int (*func)(int argc, char **argv);
} cmds[] = {
	{ "sdp", do_sdp },
	{ "stream", do_stream },
	{ "ptp", do_ptp },
	{ "xdp", do_xdp },
	{ "route", do_route },
	{ "flow", do_flow },
	{ "monitor", do_monitor },
	{ "help", do_help },
	{ NULL, NULL }
};

static int do_cmd(int argc, char **argv)
{
	const struct cmd *c;

	for (c = cmds; c->name; c++)
		if (!matches(argv[0], c->name))
			return c->func(argc - 1, argv + 1);
	fprintf(stderr, "Object \"%s\" is unknown, try \"st2110 help\".\n", argv[0]);
	return EXIT_USAGE;
}

/* Split a batch line into words: blanks separate, quotes group, # comments. */
static int make_args(char *line, char **argv, int max)
{
	int argc = 0;
	char *s = line, *d;
	char q;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		if (!*s || *s == '#')
			break;
		if (argc == max)
			return -1;
		argv[argc++] = d = s;
		q = 0;
		for (; *s; s++) {
			if (q) {
				if (*s == q) {
					q = 0;
					continue;
				}
			} else if (*s == '"' || *s == '\'') {
				q = *s;
				continue;
			} else if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
				break;
			}
			*d++ = *s;
		}
		if (q)
			return -2;	/* unterminated quote */
		if (*s)
			s++;
		*d = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

/*
 * One command per line.  The first failing line stops the batch and gives
 * the exit status, unless -force: then every line runs and the worst
 * status is returned.  Either way each failure is reported as
 * "Command failed FILE:LINE", as ip -batch does.
 */
static int do_batch(const char *name)
{
	FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
	char *line = NULL, *argv[128];
	size_t cap = 0;
	unsigned int lineno = 0;
	int argc, status = EXIT_OK, ret;

	if (!f) {
		fprintf(stderr, "Cannot open file \"%s\" for batch: %s\n", name, strerror(errno));
		return EXIT_RUNTIME;
	}
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		argc = make_args(line, argv, (int)ARRAY_SIZE(argv) - 1);
		if (argc == 0)
			continue;
		if (argc < 0) {
			fprintf(stderr, "%s:%u: %s\n", name, lineno,
				argc == -1 ? "too many arguments" : "unterminated quote");
			ret = EXIT_USAGE;
		} else {
			ret = do_cmd(argc, argv);
		}
		fflush(stdout);
		if (ret != EXIT_OK) {
			fprintf(stderr, "Command failed %s:%u\n", name, lineno);
			if (ret > status)
				status = ret;
			if (!force)
				break;
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return status;
}

int main(int argc, char **argv)
{
	const char *netns = NULL;
	char err[512];
	char *opt;

	while (argc > 1) {
		opt = argv[1];
		if (!strcmp(opt, "--")) {
			argc--;
			argv++;
			break;
		}
		if (opt[0] != '-' || !opt[1])
			break;
		if (opt[1] == '-')	/* --json as well as -json */
			opt++;
		if (!matches(opt, "-statistics") || !matches(opt, "-stats")) {
			show_stats++;
		} else if (!matches(opt, "-details")) {
			show_details++;
		} else if (!matches(opt, "-json")) {
			json = true;
		} else if (!matches(opt, "-pretty")) {
			pretty = true;
		} else if (!matches(opt, "-netns")) {
			if (argc < 3)
				return errorf(EXIT_USAGE, "option \"%s\" needs a namespace name", opt);
			argc--;
			argv++;
			netns = argv[1];
		} else if (!matches(opt, "-batch")) {
			if (argc < 3)
				return errorf(EXIT_USAGE, "option \"%s\" needs a file name", opt);
			argc--;
			argv++;
			batch_file = argv[1];
		} else if (!strcmp(opt, "-force")) {
			force = true;
		} else if (!matches(opt, "-Version")) {
			printf("st2110 utility, st2110-%s\n", ST2110_VERSION);
			return EXIT_OK;
		} else if (!matches(opt, "-help")) {
			usage(stdout);
			return EXIT_OK;
		} else {
			fprintf(stderr, "Option \"%s\" is unknown, try \"st2110 -help\".\n", argv[1]);
			return EXIT_USAGE;
		}
		argc--;
		argv++;
	}

	if (netns && st2110_netns_switch(netns, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return EXIT_RUNTIME;
	}
	if (batch_file) {
		if (argc > 1)
			return errorf(EXIT_USAGE, "-batch takes no command on the command line");
		return do_batch(batch_file);
	}
	if (argc > 1)
		return do_cmd(argc - 1, argv + 1);
	usage(stderr);
	return EXIT_USAGE;
}
