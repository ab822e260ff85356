/*
 * tui-curses.h - the one place vmscope includes curses. Every other TUI
 * file includes this header, so the choice between the wide library
 * (UTF-8 box drawing) and plain ncurses is made once, here.
 */
#ifndef VMSCOPE_TUI_CURSES_H
#define VMSCOPE_TUI_CURSES_H

#include "config.h"

#ifdef HAVE_NCURSESW
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#endif
#include <curses.h>

#endif
