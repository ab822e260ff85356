#!/bin/sh
# Bash completion (completion/vmscope): load it in bash without the
# bash-completion package and ask _vmscope for candidates as bash would.
# Skipped (77) when bash is missing.
set -u
: "${VMSCOPE:?}" "${top_srcdir:?}"
command -v bash >/dev/null 2>&1 || { echo "bash not found: skipped"; exit 77; }
tmp=${TMPDIR:-/tmp}/vmscope-comp.$$
mkdir -p "$tmp/bin"
trap 'rm -rf "$tmp"' EXIT
ln -s "$VMSCOPE" "$tmp/bin/vmscope"
cd "$tmp" || exit 1
: >lesson.json
: >notes.txt
fails=0
pass=0

# complete WORDS... -> the sorted candidates for the last word.
complete_words() {
	PATH="$tmp/bin:$PATH" bash --norc --noprofile -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_vmscope vmscope "${COMP_WORDS[COMP_CWORD]}" \
		    "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "
	' sh "$top_srcdir/completion/vmscope" "$@"
}

check() {
	want=$1
	shift
	got=$(complete_words "$@")
	if [ "$got" = "$want" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: completing '$*': got '$got', want '$want'"
		fails=$((fails + 1))
	fi
}

check "--execute --help --interactive --quiet --version " vmscope --
check "run " vmscope ru
check "check " vmscope che
check "list " vmscope l
check "buddy " vmscope run bu
check "buddy " vmscope run -i bu
check "lesson.json " vmscope check les
check "notes.txt " vmscope tui no
check "zones " vmscope tui zo
check "alloc_pages " vmscope -e allo
check "buddyinfo " vmscope -q -e budd
check "policy " vmscope exercise p
check "--solve " vmscope exercise --so
check "--dirs " vmscope list --d

echo "completion: $pass passed, $fails failed"
[ $fails = 0 ]
