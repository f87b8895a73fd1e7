// What a new page of memory costs on this machine: maps MB mebibytes three
// times, touches one byte per 4 KiB page (the kernel faults each page in
// and clears it), then writes the whole range again (pages already there),
// and unmaps. With HUGE=1 the range is advised MADV_HUGEPAGE first, so the
// kernel may back it with 2 MiB pages. benchmarks/README.md, "Memory on
// the machine", gives what it measured and why it matters.
//
//   gcc -O2 -o first-touch benchmarks/first-touch.c && ./first-touch 1000 0 && ./first-touch 1000 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: first-touch MB [HUGE]\n");
        return 2;
    }
    size_t n = (size_t)atol(argv[1]) << 20;
    int huge = argc > 2 && atoi(argv[2]);
    for (int r = 0; r < 3; r++) {
        char *p = mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            perror("mmap");
            return 1;
        }
        if (huge) madvise(p, n, MADV_HUGEPAGE);
        double t0 = now();
        for (size_t i = 0; i < n; i += 4096) p[i] = 1;
        double t1 = now();
        memset(p, 2, n);
        double t2 = now();
        printf("%zu MiB, huge pages %s: first touch %.3f s (%.2f GB/s, %.2f us per 4 KiB), written again %.3f s\n",
               n >> 20, huge ? "advised" : "not advised", t1 - t0, n / (t1 - t0) / 1e9, (t1 - t0) / (n / 4096) * 1e6, t2 - t1);
        munmap(p, n);
    }
    return 0;
}
