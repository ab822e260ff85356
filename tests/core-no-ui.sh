#!/bin/sh
# The simulated machine must not depend on any front end: no symbol of
# curses, readline or cJSON may be referenced by libvmcore.a.
set -e
: "${LIBVMCORE:?}" "${NM:=nm}"
bad=$($NM -u "$LIBVMCORE" | grep -E ' U (cJSON_|rl_|readline|add_history|initscr|newwin|wrefresh|waddch|mvw|endwin|newterm|wgetch|curs_set|start_color|init_pair)' || true)
if [ -n "$bad" ]; then
	echo "libvmcore.a references UI symbols:" >&2
	echo "$bad" >&2
	exit 1
fi
n=$($NM -u "$LIBVMCORE" | grep -c ' U ' || true)
echo "libvmcore.a: $n undefined symbols, none from curses, readline or cJSON"
