/*
 * exercise-translate.c - the `translate` exercise kind: a page table of
 * any geometry (the toy's by default, or a real architecture's), printed
 * table by table as the MMU sees it; translate virtual addresses, or name
 * the level whose entry is not valid.
 *
 * The page table is built by the model, not drawn: a process maps a few
 * pages (mmap ... fixed noreplace) and writes them (touch), so the fault
 * handler allocates the tables and frames. The answers are the model's
 * walks (pgtable_walk) and the worked answer is the `translate` command's
 * output: the index at each level, the entry read and where it leads.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vmscope/cmd.h"
#include "vmscope/exercise.h"
#include "vmscope/mm.h"
#include "vmscope/pgtable.h"
#include "vmscope/session.h"
#include "vmscope/task.h"

#define MAX_PAGES	16
#define MAX_ADDRS	12
#define TRIES		200

struct toy_geometry {
	unsigned	 page_size;
	const char	*levels;
};

/* Toy geometries drawn when none is given: 1-, 2- and 4-byte entries. */
static const struct toy_geometry toy_geometries[] = {
	{ 32, "5,5" },		/* OSTEP's paging-multilevel-translate */
	{ 16, "4,4" },
	{ 32, "3,4,3" },
	{ 64, "4,4,4" },
};

static const char *const real_arches[] = {
	"x86_64", "x86_64-la57", "i386", "arm32", "arm64",
};

/* addr with the index of `level` replaced by idx. */
static uint64_t set_index(const struct machine *m, uint64_t addr, int level,
    uint64_t idx)
{
	unsigned shift = pt_level_shift(m, level);
	uint64_t mask = ((1ULL << m->arch.level_bits[level]) - 1) << shift;

	return (addr & ~mask) | ((idx << shift) & mask);
}

/* A random level, the lower ones more often (they share upper tables). */
static int pick_level(struct exercise *ex, const struct machine *m)
{
	int n = m->arch.nr_levels, l = n - 1;

	while (l > 0 && exercise_rand_below(ex, 100) < 40)
		l--;
	return l;
}

static bool usable(const struct machine *m, uint64_t addr)
{
	return pt_addr_valid(m, addr) && addr < m->arch.task_size &&
	    addr >= 16 * m->page_size;
}

static void legend(const struct machine *m, struct sbuf *out)
{
	unsigned w = m->arch.pte_size * 8;

	if (m->arch.id != ARCH_TOY) {
		sbuf_add(out, "Entries are printed as the MMU holds them, with "
		    "the frame they point at\ndecoded after them.\n");
		return;
	}
	if (w == 8) {
		sbuf_add(out, "An entry is one byte: bit 7 is the valid bit, "
		    "bits 0-6 the frame number.\n");
		return;
	}
	sbuf_printf(out, "An entry is %u bytes: bit %u is the valid bit, bits "
	    "%u-%u are RW, US, A, D,\nand bits 0-%u the frame number.\n",
	    m->arch.pte_size, w - 1, w - 5, w - 2, w - 6);
}

/* Every table reachable from pfn, depth first, non-empty entries only. */
static void dump_table(struct machine *m, unsigned long pfn, int level,
    struct sbuf *out)
{
	struct pt_page *pt = pt_page_of(m, pfn);
	int digits = pt_entry_digits(m), col = 0;
	bool last = level == m->arch.nr_levels - 1;

	sbuf_printf(out, "%s table at pfn 0x%lx:\n", m->arch.level_names[level],
	    pfn);
	for (unsigned i = 0; i < pt->nr_entries; i++) {
		uint64_t e = pt->ent[i];

		if (pte_none(e))
			continue;
		if (col == 0)
			sbuf_add(out, " ");
		sbuf_printf(out, " [%u] 0x%0*" PRIx64, i, digits,
		    pgtable_entry_raw(m, level, e));
		if (m->arch.id != ARCH_TOY)
			sbuf_printf(out, " (pfn 0x%lx)", pte_pfn(e));
		col += m->arch.id != ARCH_TOY ? 2 : 1;
		if (col >= 5) {
			sbuf_addc(out, '\n');
			col = 0;
		}
	}
	if (col != 0)
		sbuf_addc(out, '\n');
	if (last)
		return;
	for (unsigned i = 0; i < pt->nr_entries; i++) {
		if (pte_hw_present(pt->ent[i]) && !pte_huge(pt->ent[i]))
			dump_table(m, pte_pfn(pt->ent[i]), level + 1, out);
	}
}

static int machine_line(struct exercise *ex, const struct exercise_opt *opts,
    int nopts, struct sbuf *line, struct sbuf *err)
{
	const char *arch = exercise_opt_get(opts, nopts, "arch");
	const char *ps = exercise_opt_get(opts, nopts, "page-size");
	const char *levels = exercise_opt_get(opts, nopts, "levels");
	const struct toy_geometry *g =
	    &toy_geometries[exercise_rand_below(ex, ARRAY_SIZE(toy_geometries))];

	if (arch != NULL && strcmp(arch, "toy") != 0) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(real_arches); i++) {
			if (strcmp(arch, real_arches[i]) == 0)
				break;
		}
		if (i == ARRAY_SIZE(real_arches)) {
			sbuf_printf(err, "exercise translate: --arch: '%s' is not "
			    "one of toy, x86_64, x86_64-la57, i386, arm32, arm64",
			    arch);
			return -1;
		}
		if (ps != NULL || levels != NULL) {
			sbuf_printf(err, "exercise translate: --page-size and "
			    "--levels are for --arch toy (%s has a fixed "
			    "geometry)", arch);
			return -1;
		}
		sbuf_printf(line, "machine --arch %s --ram 64M", arch);
		return 0;
	}
	{
		uint64_t size = g->page_size;

		if (ps != NULL && (parse_size(ps, 0, &size) != 0 || size == 0 ||
		    size > 64 * 1024)) {
			sbuf_printf(err, "exercise translate: --page-size '%s' is "
			    "not a size from 8 to 64K", ps);
			return -1;
		}
		if (ps != NULL && levels == NULL)
			levels = "5,5";
		/* 64 frames: room for the tables and pages of any problem */
		sbuf_printf(line, "machine --arch toy --page-size %" PRIu64
		    " --levels '%s' --ram %" PRIu64, size, levels != NULL ?
		    levels : g->levels, 64 * size);
	}
	return 0;
}

static int translate_generate(struct exercise *ex,
    const struct exercise_opt *opts, int nopts, struct sbuf *err)
{
	struct exercise_text *et = exercise_text_new(ex);
	struct sbuf line = SBUF_INIT, sb = SBUF_INIT, ans = SBUF_INIT;
	struct exercise_run r;
	struct machine *m;
	struct pgtable *pgt;
	uint64_t pages[MAX_PAGES], addrs[MAX_ADDRS];
	unsigned long npages, naddrs, mapped = 0, faults = 0;
	size_t np = 0;
	int rc = -1;

	exercise_run_init(&r);
	if (exercise_opt_number("translate", opts, nopts, "pages", 4, 1,
	    MAX_PAGES, &npages, err) ||
	    exercise_opt_number("translate", opts, nopts, "addresses", 4, 1,
	    MAX_ADDRS, &naddrs, err) ||
	    machine_line(ex, opts, nopts, &line, err))
		goto out;
	if (exercise_run_cmd(&r, "%s", sbuf_str(&line))) {
		/* the machine command's own message names what is wrong */
		sbuf_printf(err, "exercise translate: %.*s", (int)(r.err.len > 0 ?
		    r.err.len - 1 : 0), sbuf_str(&r.err) +
		    (strncmp(sbuf_str(&r.err), "vmscope: ", 9) == 0 ? 9 : 0));
		goto out;
	}
	m = r.s->m;
	if (exercise_run_cmd(&r, "spawn a")) {
		sbuf_add(err, "exercise translate: the address space is too small "
		    "for a process");
		goto out;
	}

	/* The mapped pages: each a neighbour of one before, at some level. */
	for (int tries = 0; np < npages && tries < TRIES; tries++) {
		uint64_t a;

		if (np == 0) {
			uint64_t top = m->arch.task_size / m->page_size;

			a = (top / 16 + exercise_rand_below(ex, top / 2)) *
			    m->page_size;
		} else {
			int l = pick_level(ex, m);

			a = set_index(m, pages[exercise_rand_below(ex, np)], l,
			    exercise_rand_below(ex, pt_entries(m, l)));
		}
		/* a taken range is a result (EEXIST), not a failed command */
		if (!usable(m, a) || exercise_run_cmd(&r, "mmap 1 0x%" PRIx64
		    " 1p rw fixed noreplace", a) != 0 ||
		    strtoull(sbuf_str(&r.out), NULL, 0) != a)
			continue;
		if (exercise_run_cmd(&r, "touch 1 0x%" PRIx64 " w", a) != 0)
			break;
		pages[np++] = a;
	}
	if (np == 0) {
		sbuf_add(err, "exercise translate: no page could be mapped");
		goto out;
	}
	pgt = find_task_by_pid(m, 1)->mm->pgt;

	/* The addresses: mapped pages, and neighbours that may fault. */
	for (int tries = 0; tries < TRIES; tries++) {
		mapped = faults = 0;
		for (size_t i = 0; i < naddrs; i++) {
			struct pt_walk w;
			uint64_t a = pages[exercise_rand_below(ex, np)];

			if (exercise_rand_below(ex, 100) < 50) {
				int l = pick_level(ex, m);

				a = set_index(m, a, l, exercise_rand_below(ex,
				    pt_entries(m, l)));
			}
			a |= exercise_rand_below(ex, m->page_size);
			if (!usable(m, a)) {
				i--;
				continue;
			}
			addrs[i] = a;
			if (pgtable_walk(pgt, a, 0, &w) == WALK_MAPPED)
				mapped++;
			else
				faults++;
		}
		if (naddrs < 2 || (mapped > 0 && faults > 0))
			break;
	}

	sbuf_printf(&et->problem, "Address translation (exercise translate, "
	    "seed %" PRIu64 ")\n\n", ex->seed);
	sbuf_printf(&et->problem, "Machine: %s, %u-bit virtual addresses, %"
	    PRIu64 "-byte pages, %u-byte entries.\nA virtual address splits "
	    "into", m->arch.name, m->arch.va_bits, m->page_size,
	    m->arch.pte_size);
	for (int l = 0; l < m->arch.nr_levels; l++)
		sbuf_printf(&et->problem, " %s index %u bits |",
		    m->arch.level_names[l], m->arch.level_bits[l]);
	sbuf_printf(&et->problem, " offset %u bits.\n", m->arch.page_shift);
	legend(m, &et->problem);
	sbuf_printf(&et->problem, "The root table is at pfn 0x%lx (what CR3 / "
	    "TTBR0 holds). The tables,\nwith their non-empty entries (an "
	    "entry not listed is empty: not valid):\n\n", pgt->root_pfn);
	dump_table(m, pgt->root_pfn, 0, &et->problem);
	sbuf_add(&et->problem, "\nTranslate each virtual address to a physical "
	    "address, or name the level\nwhose entry is not valid (the walk "
	    "faults there, e.g. 'fault pte'):\n");
	for (size_t i = 0; i < naddrs; i++)
		sbuf_printf(&et->problem, "  %2zu. 0x%" PRIx64 "\n", i + 1,
		    addrs[i]);

	sbuf_add(&et->solution, "\nSolution (the model's page-table walks):\n");
	for (size_t i = 0; i < naddrs; i++) {
		struct pt_walk w;

		pgtable_walk(pgt, addrs[i], 0, &w);
		sbuf_reset(&ans);
		sbuf_reset(&sb);
		if (w.result == WALK_MAPPED)
			sbuf_printf(&ans, "0x%" PRIx64, w.phys);
		else
			sbuf_printf(&ans, "fault %s", m->arch.level_names[w.level]);
		exercise_run_cmd(&r, "translate 1 0x%" PRIx64, addrs[i]);
		sbuf_printf(&et->solution, "\n%2zu. ", i + 1);
		sbuf_add(&et->solution, sbuf_str(&r.out));
		sbuf_printf(&sb, "Address %zu, 0x%" PRIx64 ": physical address, or "
		    "fault LEVEL?", i + 1, addrs[i]);
		exercise_add_question(ex, ANSWER_WALK, sbuf_str(&sb),
		    sbuf_str(&ans), sbuf_str(&r.out));
	}
	sbuf_addc(&et->solution, '\n');
	rc = 0;
out:
	sbuf_free(&line);
	sbuf_free(&sb);
	sbuf_free(&ans);
	exercise_run_free(&r);
	return rc;
}

const struct exercise_kind exercise_translate_kind = {
	.name = "translate",
	.summary = "a page table: translate addresses or say which level faults",
	.usage = "[--arch toy|x86_64|x86_64-la57|i386|arm32|arm64] "
	    "[--page-size SIZE] [--levels A,B,..] [--pages N] [--addresses N]",
	.options = "arch=,page-size=,levels=,pages=,addresses=",
	.generate = translate_generate,
	.print_problem = exercise_text_print_problem,
	.print_solution = exercise_text_print_solution,
	.free_data = exercise_text_free,
};
