#!/bin/sh
# The documentation cannot drift from the program:
#  1. every command of the command table (`vmscope -e help`) has an entry in
#     the COMMANDS section of doc/vmscope.1 and a row in doc/linux-map.md,
#     every event kind (include/vmscope/event-kinds.h) is in the map, and
#     the man page documents no command the table lacks;
#  2. the man pages render without a warning (groff -ww -z; skipped with a
#     message when groff is missing);
#  3. the examples are executed (the conventions are in doc/architecture.md,
#     "Documentation"):
#     - Markdown (README.md, doc/*.md): a block fenced ```vmscope-session
#       holds "vmscope> COMMAND" lines, each followed by its exact output
#       (standard output and error), played in batch mode on a fresh default
#       machine (```vmscope-session continued: after the commands of the
#       page's session blocks before it); a block ```vmscope-shell holds
#       "$ COMMAND" lines, each run by sh, exiting 0 and followed by its
#       exact output; a block ```json file=NAME is written to NAME first, in
#       a directory of the page's own where its shell blocks run;
#     - man pages: an .EX block whose lines start with "vmscope> " is a
#       session as above; in the EXAMPLES section every "$ COMMAND" line is
#       run and must exit 0, and the lines after it, if any, are its exact
#       output, and an .EX block right after a comment '.\" file=NAME' is
#       written to NAME for those commands. Commands that need a terminal
#       (vmscope tui) are not run.
#     A `vmscope` in a command is the binary under test.
set -u
: "${VMSCOPE:?}" "${top_srcdir:?}"
[ -x "$VMSCOPE" ] || { echo "ERROR: $VMSCOPE is not built"; exit 99; }
tmp=${TMPDIR:-/tmp}/vmscope-docs.$$
mkdir -p "$tmp/bin"
trap 'rm -rf "$tmp"' EXIT
ln -s "$VMSCOPE" "$tmp/bin/vmscope"
PATH=$tmp/bin:$PATH
export PATH
unset VMSCOPE_SCENARIO_PATH
src=$top_srcdir
pass=0
fails=0
ok() { pass=$((pass + 1)); }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# ------------------------------------------------------------ 1. coverage
"$VMSCOPE" -e help | sed -n 's/^  \([a-z_][a-z_0-9]*\)  .*/\1/p' \
    | sort -u >"$tmp/commands"
[ -s "$tmp/commands" ] || fail "vmscope -e help lists no command"
# The first word of the line after each .TP of the COMMANDS section.
awk '/^\.SH/ { in_cmds = ($0 ~ /^\.SH "?COMMANDS"?$/); next }
     in_cmds && tp { s = $0; sub(/^\.B[IR]? +/, "", s); gsub(/\\f[BIRP]/, "", s);
                     gsub(/"/, "", s); split(s, w, " "); print w[1]; tp = 0; next }
     in_cmds && /^\.TP/ { tp = 1 }' "$src/doc/vmscope.1" \
    | sed 's/\\-/-/g' | sort -u >"$tmp/man-commands"
while read -r c; do
	if grep -qx "$c" "$tmp/man-commands"; then ok; else
		fail "command '$c' is not documented in the COMMANDS section of doc/vmscope.1 (add a .TP entry)"; fi
	if grep -q "^| \`$c[\` ]" "$src/doc/linux-map.md"; then ok; else
		fail "command '$c' has no row in doc/linux-map.md (a table row starting with | \`$c\`)"; fi
done <"$tmp/commands"
# A row given twice (two people documenting the same command) is an error.
# (Commands and events share some names: count within each "## " section.)
awk '/^## / { sec = $0 } /^\| `[a-z_0-9]*` \|/ { split($0, w, "`"); print sec ": " w[2] }' \
    "$src/doc/linux-map.md" | sort | uniq -d | sed 's/.*: //' >"$tmp/map-dups"
while read -r c; do
	fail "doc/linux-map.md has two rows for '$c'"
done <"$tmp/map-dups"
while read -r c; do
	grep -qx "$c" "$tmp/commands" ||
		fail "doc/vmscope.1 documents '$c', which is not a command of the table"
done <"$tmp/man-commands"
sed -n 's/^EVENT(\([A-Z_0-9]*\),.*/\1/p' "$src/include/vmscope/event-kinds.h" \
    | tr 'A-Z' 'a-z' >"$tmp/events"
while read -r e; do
	if grep -q "\`$e\`" "$src/doc/linux-map.md"; then ok; else
		fail "event '$e' (event-kinds.h) is not in doc/linux-map.md"; fi
done <"$tmp/events"
# Relative links of the Markdown pages lead to files that exist.
for f in "$src"/README.md "$src"/doc/*.md; do
	dir=$(dirname "$f")
	for target in $(grep -o '](\([^)#:]*\))' "$f" | sed 's/^](//; s/)$//'); do
		if [ -e "$dir/$target" ]; then ok; else
			fail "$(basename "$f"): link to missing $target"; fi
	done
done

# ------------------------------------------------------------ 2. groff
if command -v groff >/dev/null 2>&1; then
	for m in "$src"/doc/*.[1-8]; do
		groff -ww -z -man "$m" >"$tmp/groff" 2>&1
		if [ -s "$tmp/groff" ]; then
			fail "groff -ww -z -man $(basename "$m"):"; cat "$tmp/groff"
		else ok; fi
	done
else
	echo "groff not found: the man pages were not checked for warnings"
fi

# ------------------------------------------------------------ 3. examples
# play_session BLOCK WHERE [PREAMBLE]: BLOCK holds "vmscope> CMD" lines and
# the output expected after each. Each command's output is what running the
# commands up to it prints beyond what the commands before it printed.
# PREAMBLE (commands of the blocks this one continues) runs first, unseen.
play_session() {
	: >"$tmp/cmds"
	[ $# -ge 3 ] && cat "$3" >"$tmp/cmds"
	skip=$(wc -l <"$tmp/cmds")
	grep '^vmscope> ' "$1" | sed 's/^vmscope> //' >>"$tmp/cmds"
	n=$(wc -l <"$tmp/cmds")
	: >"$tmp/actual"
	prev=0
	if [ "$skip" -gt 0 ]; then
		head -n "$skip" "$tmp/cmds" | vmscope >"$tmp/run" 2>&1
		prev=$(wc -c <"$tmp/run")
	fi
	i=$((skip + 1))
	while [ "$i" -le "$n" ]; do
		head -n "$i" "$tmp/cmds" | vmscope >"$tmp/run" 2>&1
		size=$(wc -c <"$tmp/run")
		printf 'vmscope> %s\n' "$(sed -n "${i}p" "$tmp/cmds")" >>"$tmp/actual"
		tail -c +"$((prev + 1))" "$tmp/run" >>"$tmp/actual"
		prev=$size
		i=$((i + 1))
	done
	if cmp -s "$1" "$tmp/actual"; then ok; else
		fail "$2: the session's output differs (- documented, + actual):"
		diff -u "$1" "$tmp/actual" | sed 1,2d | head -40
	fi
}

# play_shell BLOCK WHERE DIR: "$ CMD" lines run by sh in DIR; the lines
# after each are its expected output. Each command must exit 0.
play_shell() {
	: >"$tmp/actual"
	while IFS= read -r line; do
		case $line in
		'$ '*) ;;
		*) continue ;;
		esac
		cmd=${line#\$ }
		printf '%s\n' "$line" >>"$tmp/actual"
		case $cmd in
		'vmscope tui'*|*'(needs a terminal)'*)
			# Keep the documented lines: only the command is not run.
			awk -v l="$line" 'f && /^\$ / { exit } f { print } $0 == l { f = 1 }' \
			    "$1" >>"$tmp/actual"
			continue ;;
		esac
		(cd "$3" && sh -c "$cmd" </dev/null) >>"$tmp/actual" 2>&1
		rc=$?
		[ $rc = 0 ] || fail "$2: '$cmd' exited with status $rc"
	done <"$1"
	if cmp -s "$1" "$tmp/actual"; then ok; else
		fail "$2: the commands' output differs (- documented, + actual):"
		diff -u "$1" "$tmp/actual" | sed 1,2d | head -40
	fi
}

# Markdown: split each page's fenced blocks into files.
for page in "$src"/README.md "$src"/doc/*.md; do
	name=$(basename "$page" .md)
	out=$tmp/md-$name
	mkdir -p "$out/files"
	awk -v out="$out" '
		/^```/ && !inblk {
			info = substr($0, 4); inblk = 1; kind = ""
			if (info == "vmscope-session") kind = "session"
			else if (info == "vmscope-session continued") kind = "continued"
			else if (info == "vmscope-shell") kind = "shell"
			else if (info ~ /^json file=/) {
				kind = "file"; f = info; sub(/^json file=/, "", f)
			}
			if (kind == "session" || kind == "shell" || kind == "continued") {
				n++; f = sprintf("%s/%03d.%s", out, n, kind)
				printf "" > f
			} else if (kind == "file") {
				f = out "/files/" f; printf "" > f
			}
			next
		}
		/^```/ && inblk { inblk = 0; if (kind != "") close(f); next }
		inblk && kind != "" { print > f }
	' "$page"
	: >"$out/preamble"
	for b in "$out"/[0-9]*; do
		[ -e "$b" ] || continue
		line=$(basename "$b")
		case $b in
		*.session)
			play_session "$b" "$name.md block ${line%%.*}"
			grep '^vmscope> ' "$b" | sed 's/^vmscope> //' >"$out/preamble" ;;
		*.continued)
			play_session "$b" "$name.md block ${line%%.*}" "$out/preamble"
			grep '^vmscope> ' "$b" | sed 's/^vmscope> //' >>"$out/preamble" ;;
		*.shell) play_shell "$b" "$name.md block ${line%%.*}" "$out/files" ;;
		esac
	done
done

# Man pages: .EX blocks, with groff escapes undone.
for m in "$src"/doc/*.[1-8]; do
	name=$(basename "$m")
	out=$tmp/man-$name
	mkdir -p "$out/files"
	sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' -e 's/\\e/\\/g' \
	    -e 's/\\&//g' -e 's/\\(ti/~/g' -e 's/\\(ha/^/g' "$m" | awk -v out="$out" '
		/^\.SH/ { ex = ($0 ~ /^\.SH "?EXAMPLES"?$/); next }
		/^\.\\" file=/ && ex { file = $0; sub(/^[^=]*=/, "", file); next }
		/^\.EX/ { inblk = 1; first = 1; next }
		/^\.EE/ { if (kind != "") close(f); inblk = 0; kind = ""; next }
		inblk && first && file != "" {
			first = 0; kind = "file"; f = out "/files/" file; file = ""
			printf "" > f
		}
		inblk && first {
			first = 0; kind = ""
			if ($0 ~ /^vmscope> /) kind = "session"
			else if (ex && $0 ~ /^\$ /) kind = "shell"
			if (kind != "") {
				n++; f = sprintf("%s/%03d.%s", out, n, kind); printf "" > f
			}
		}
		inblk && kind != "" && !/^\.\\"/ { print > f }
	'
	for b in "$out"/*.session "$out"/*.shell; do
		[ -e "$b" ] || continue
		line=$(basename "$b")
		case $b in
		*.session) play_session "$b" "$name example ${line%%.*}" ;;
		*.shell) play_shell "$b" "$name EXAMPLES block ${line%%.*}" "$out/files" ;;
		esac
	done
done

echo "docs: $pass passed, $fails failed"
[ $fails = 0 ]
