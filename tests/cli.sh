#!/bin/sh
# The command line as a user meets it: --help and --version (GNU style),
# -e, commands on standard input without prompts, exit statuses.
set -u
: "${VMSCOPE:?}"
fails=0
pass=0
check() {
	if [ "$1" = ok ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $2"
		fails=$((fails + 1))
	fi
}

out=$("$VMSCOPE" --help); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q '^Usage: vmscope \[OPTION\]' &&
    echo "$out" | grep -q -- '--version' && r=ok || r=no
check $r "--help prints usage and exits 0"

out=$("$VMSCOPE" --version); rc=$?
[ $rc = 0 ] && echo "$out" | head -1 | grep -Eq '^vmscope [0-9]+\.[0-9]+' &&
    r=ok || r=no
check $r "--version prints 'vmscope X.Y' and exits 0"

"$VMSCOPE" --bogus >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && r=ok || r=no
check $r "an unknown option exits 2"

out=$("$VMSCOPE" -e 'alloc_pages 0; buddyinfo'); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q '^pfn 0x' &&
    echo "$out" | grep -q '^Node 0, zone' && r=ok || r=no
check $r "-e runs several commands"

err=$("$VMSCOPE" -e 'frobnicate' 2>&1 >/dev/null); rc=$?
[ $rc = 1 ] && [ "$err" = "vmscope: frobnicate: unknown command (try 'help')" ] &&
    r=ok || r=no
check $r "-e with a bad command exits 1 with one message"

out=$(printf 'buddyinfo\nquit\nmeminfo\n' | "$VMSCOPE"); rc=$?
[ $rc = 0 ] && ! echo "$out" | grep -q 'vmscope>' &&
    ! echo "$out" | grep -q MemTotal && echo "$out" | grep -q '^Node 0' &&
    r=ok || r=no
check $r "stdin batch mode: no prompt, quit stops"

printf 'alloc_pages 99\nbuddyinfo\n' | "$VMSCOPE" >/dev/null 2>&1; rc=$?
[ $rc = 1 ] && r=ok || r=no
check $r "stdin batch mode exits 1 when a command failed"

echo "$pass passed, $fails failed"
[ $fails = 0 ]
