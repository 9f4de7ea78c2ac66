/* libdwfl (elfutils) for the profiler's Symbolizer. */
#include <elfutils/libdwfl.h>
#include <elfutils/libdw.h>
