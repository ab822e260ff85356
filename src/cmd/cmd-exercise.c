/*
 * cmd-exercise.c - the `exercise` command: generate a problem of a kind
 * (src/exercise/) from a seed, print it and, with --solve, its worked
 * answer. The kinds that run the model build their own machines, never
 * the session's. At the interactive prompt without --solve it also starts a quiz
 * (session->quiz) that the REPL then asks one question at a time; in
 * batch mode it only prints. `vmscope exercise ...` runs this command.
 */
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/exercise.h"
#include "vmscope/session.h"

static int cmd_exercise_exec(struct cmd_ctx *ctx)
{
	const struct exercise_kind *kind;
	struct exercise_opt opts[CMD_MAX_OPTS];
	struct sbuf why = SBUF_INIT;
	struct exercise *ex;
	const char *seedstr = args_get(&ctx->args, "seed");
	bool solve = args_has(&ctx->args, "solve");
	uint64_t seed = 1;
	int nopts = 0;

	kind = exercise_kind_find(ctx->args.argv[0]);
	if (kind == NULL) {
		cmd_error(ctx, "unknown kind '%s'; the kinds are:",
		    ctx->args.argv[0]);
		for (int i = 0; exercise_kinds[i] != NULL; i++) {
			sbuf_printf(ctx->err, "  %-10s %s\n", exercise_kinds[i]->name,
			    exercise_kinds[i]->summary);
		}
		return -1;
	}
	if (seedstr != NULL && cmd_parse_u64(ctx, "--seed", seedstr, &seed) != 0)
		return -1;
	for (int i = 0; i < ctx->args.nopts; i++) {
		const char *name = ctx->args.opts[i].name;

		if (strcmp(name, "seed") == 0 || strcmp(name, "solve") == 0)
			continue;
		opts[nopts].name = name;
		opts[nopts].value = ctx->args.opts[i].value;
		nopts++;
	}
	ex = exercise_new(kind, seed, opts, nopts, &why);
	if (ex == NULL) {
		/* the kind's message already names "exercise KIND" */
		sbuf_printf(ctx->err, "vmscope: %s\n", sbuf_str(&why));
		sbuf_free(&why);
		return -1;
	}
	sbuf_free(&why);
	kind->print_problem(ex, ctx->out);
	if (solve) {
		kind->print_solution(ex, ctx->out);
		exercise_free(ex);
		return 0;
	}
	if (ctx->s->interactive && ex->nq > 0) {
		quiz_free(ctx->s->quiz);
		ctx->s->quiz = quiz_new(ex);
		cmd_print(ctx, "\n%zu questions. Type an answer; 'skip' skips one, "
		    "'stop' ends the quiz.\n", ex->nq);
		return 0;
	}
	exercise_free(ex);
	return 0;
}

const struct cmd_entry cmd_exercise_entry = {
	.name = "exercise",
	.group = CMD_GROUP_SESSION,
	.usage = "exercise KIND [--seed N] [--solve] [options]",
	.summary = "a generated problem; --solve prints the worked answer",
	.help = "  Generate a problem of a kind from a seed (the same seed and options\n"
	    "  always give the same problem) and print it; --solve adds the worked\n"
	    "  answer, with the reason for each step. At the interactive prompt,\n"
	    "  without --solve, the questions are then asked one by one: each typed\n"
	    "  answer is checked, a wrong one explained, and the score kept.\n"
	    "  Kinds and their options:\n"
	    "    translate [--arch toy|x86_64|x86_64-la57|i386|arm32|arm64]\n"
	    "            [--page-size SIZE] [--levels A,B,..] [--pages N]\n"
	    "            [--addresses N]: a page table built by the model; translate\n"
	    "            each address or name the level that faults (toy geometry\n"
	    "            drawn from the seed unless given).\n"
	    "    buddy   [--frames 8|16|32|64] [--length N] [--max-order N]:\n"
	    "            allocations and frees; each allocation's pfn and the free\n"
	    "            lists per order at the end.\n"
	    "    policy  [--policy fifo|lru|clock|opt|lru2q|mru|unopt] [--frames N]\n"
	    "            [--pages N] [--length N]: a reference string; hits, misses\n"
	    "            and victims (frames 1-8, pages frames+1-32, length up to 60).\n"
	    "    vma     [--pages N] [--length N]: mmap, mprotect, munmap and brk;\n"
	    "            the maps lines after each call.\n"
	    "    cow     [--pages N] [--length N]: writes, fork, reads and writes;\n"
	    "            each fault, the counts, frames copied and still shared.\n"
	    "    tlb     [--entries N] [--ways N] [--pages N] [--length N]: reads\n"
	    "            and context switches; hits and misses with and without\n"
	    "            ASIDs.\n"
	    "  The default seed is 1.",
	.args_min = 1,
	.args_max = 1,
	/* The union of every kind's options; a kind rejects the others. */
	.options = "seed=,solve,policy=,frames=,pages=,length=,arch=,page-size=,"
	    "levels=,addresses=,max-order=,entries=,ways=",
	.exec = cmd_exercise_exec,
};
