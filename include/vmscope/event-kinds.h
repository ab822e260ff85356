/*
 * event-kinds.h - every kind of event the model emits, declared once.
 * Included with EVENT(name, linux_function, template) defined.
 *
 * The template gives the one-line text; each conversion prints a field of
 * struct vm_event and names the field in the JSON rendering:
 *   %p pid   %n node   %z zone name   %o order   %l level
 *   %a addr (hex)   %f pfn (hex)   %e entry (hex, 16 digits)
 *   %v val   %V val (hex)   %w val2   %W val2 (hex)   %s str   %t str2
 * A conversion may be followed by {key} to give its JSON key a better
 * name than the field's; the braces are not printed. %% prints %.
 */

/* machine */
EVENT(MACHINE_BOOT, "start_kernel",
    "machine %s{arch} booted: %v{pages} page frames, %w{reserved} reserved")

/* buddy allocator (mm/page_alloc.c) */
EVENT(WMARK_CHECK, "zone_watermark_ok",
    "zone %z order %o: free %v{free} against %s{mark} %w{needed} (with lowmem_reserve): %t{result}")
EVENT(BUDDY_TAKE, "__rmqueue_smallest",
    "zone %z: take pfn %f from free_area[%o]")
EVENT(BUDDY_SPLIT, "expand",
    "zone %z: split pfn %f order %o, buddy pfn %V{buddy} goes to free_area[%w{to_order}]")
EVENT(ALLOC_PAGES, "__alloc_pages",
    "allocated order %o at pfn %f from zone %z")
EVENT(ALLOC_FAIL, "__alloc_pages",
    "order %o allocation failed: %s{reason}")
EVENT(FREE_PAGES, "__free_pages",
    "free pfn %f order %o to zone %z")
EVENT(BUDDY_MERGE, "__free_one_page",
    "zone %z: pfn %f merges with buddy pfn %V{buddy} into order %w{to_order}")
EVENT(BUDDY_FREE, "__free_one_page",
    "zone %z: pfn %f put on free_area[%o]")
