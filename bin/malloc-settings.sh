# Sourced by ./byol and bench/run before they start the JVM: glibc malloc settings for a fast training loop
# (bench/NOTES.md entry 9). The JVM runs libtorch on threads other than the process's first one, so by default every
# tensor comes from glibc's per-thread arenas: heaps of at most 64 MiB that glibc unmaps as soon as they empty, with
# mmap and trim thresholds that start small and grow only as large blocks are freed. Until that settles (one to
# several epochs) the loop page-faults tens of thousands of times a second, a third slower, and a time budget plans
# its run from that slower rate. One arena with fixed thresholds keeps freed memory for the next step from the
# start. Variables the caller set win; BYOL_MALLOC=glibc keeps glibc's own defaults.
if [ "${BYOL_MALLOC:-tuned}" != glibc ]; then
  export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
  export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
  export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-268435456}"
fi
