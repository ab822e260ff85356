# Used by tui-fault.sh: one write fault on a fresh anonymous page, with
# every page-table level below the pgd still missing.
spawn app
mmap 1 0x100000000000 4p rw
say A write to a page nobody has touched: watch the fault, stage by stage.
touch 1 0x100000000000 w
