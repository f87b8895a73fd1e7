/*
 * The linear-algebra bound of a Newton (IRLS) logistic-regression fit.
 *
 * One Newton iteration needs at least one XᵀWX (p×p, from the n×p design)
 * and one X·w (the linear predictor). This probe times exactly those two
 * BLAS calls on an n×p row-major matrix of doubles with the system
 * OpenBLAS (the one LeadScore links), so that
 *
 *     bound = Newton iterations × (t(dsyrk) + t(dgemv))
 *
 * is what any implementation on this machine and this BLAS needs at least.
 * It also times, for information, the pass that forms √w·X (which an
 * implementation must fuse or pay for), the blocked form LeadScore uses
 * (√w·X formed 2048 rows at a time, then dsyrk per block) and Xᵀr (dgemv
 * transposed, the gradient).
 *
 * Usage: bound ROWS COLUMNS [REPS] [DESIGN.f64]
 *   With DESIGN.f64 (ROWS×COLUMNS doubles, row-major) the real design is
 *   used, else a synthetic one (one-hot blocks and Gaussian columns; BLAS
 *   time does not depend on the values). Prints one JSON object; times are
 *   the median of REPS (default 5) repetitions, in seconds.
 *
 * Build: gcc -O2 bound.c $(pkg-config --cflags --libs openblas) -o bound
 */
#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, n, sizeof *v, cmp);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static uint64_t splitmix(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s ROWS COLUMNS [REPS] [DESIGN.f64]\n", argv[0]);
        return 2;
    }
    long n = atol(argv[1]), p = atol(argv[2]);
    int reps = argc > 3 ? atoi(argv[3]) : 5;
    const char *path = argc > 4 ? argv[4] : NULL;
    if (n < 1 || p < 1 || reps < 1) return 2;
    size_t np = (size_t)n * (size_t)p;
    double *x = malloc(np * sizeof *x);
    double *w = malloc(n * sizeof *w), *eta = malloc(n * sizeof *eta), *beta = malloc(p * sizeof *beta);
    double *c = calloc((size_t)p * p, sizeof *c), *g = malloc(p * sizeof *g);
    const long blockRows = 2048;
    double *blk = malloc((size_t)blockRows * p * sizeof *blk);
    if (!x || !w || !eta || !beta || !c || !g || !blk) {
        fprintf(stderr, "bound: out of memory for %ld x %ld\n", n, p);
        return 1;
    }
    uint64_t s = 42;
    if (path) {
        FILE *f = fopen(path, "rb");
        if (!f || fread(x, sizeof *x, np, f) != np) {
            fprintf(stderr, "bound: cannot read %zu doubles from %s\n", np, path);
            return 1;
        }
        fclose(f);
    } else {
        for (long i = 0; i < n; i++) {
            double *row = x + (size_t)i * p;
            for (long j = 0; j < p; j++) {
                uint64_t r = splitmix(&s);
                row[j] = j < (3 * p) / 4 ? (double)((r >> 11) % 8 == 0) : ((double)(r >> 11) * 0x1.0p-53 - 0.5) * 3.4;
            }
        }
    }
    for (long i = 0; i < n; i++) w[i] = 0.05 + 0.2 * ((double)(splitmix(&s) >> 11) * 0x1.0p-53);
    for (long j = 0; j < p; j++) beta[j] = 0.1 * (j % 7) - 0.3;

    double *tSyrk = malloc(reps * sizeof(double)), *tGemv = malloc(reps * sizeof(double));
    double *tGemvT = malloc(reps * sizeof(double)), *tBlocked = malloc(reps * sizeof(double));
    double *tScale = malloc(reps * sizeof(double));
    double sink = 0;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        /* C = XᵀX, upper triangle: X is n×p row-major, i.e. A (K=n rows, N=p columns) transposed. */
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)p, (int)n, 1.0, x, (int)p, 0.0, c, (int)p);
        double t1 = now();
        cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)n, (int)p, 1.0, x, (int)p, beta, 1, 0.0, eta, 1);
        double t2 = now();
        cblas_dgemv(CblasRowMajor, CblasTrans, (int)n, (int)p, 1.0, x, (int)p, w, 1, 0.0, g, 1);
        double t3 = now();
        /* LeadScore's form: √w·X 2048 rows at a time, dsyrk per block. */
        memset(c, 0, (size_t)p * p * sizeof *c);
        double scale = 0;
        for (long start = 0; start < n; start += blockRows) {
            long rows = n - start < blockRows ? n - start : blockRows;
            double a0 = now();
            for (long i = 0; i < rows; i++) {
                double sw = sqrt(w[start + i]);
                const double *src = x + (size_t)(start + i) * p;
                double *dst = blk + (size_t)i * p;
                for (long j = 0; j < p; j++) dst[j] = sw * src[j];
            }
            scale += now() - a0;
            cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)p, (int)rows, 1.0, blk, (int)p, 1.0, c, (int)p);
        }
        double t4 = now();
        tSyrk[r] = t1 - t0;
        tGemv[r] = t2 - t1;
        tGemvT[r] = t3 - t2;
        tBlocked[r] = t4 - t3;
        tScale[r] = scale;
        sink += c[0] + eta[n - 1] + g[0];
    }
    printf("{\"rows\": %ld, \"columns\": %ld, \"reps\": %d, \"design\": \"%s\", "
           "\"dsyrk\": %.6g, \"dgemv\": %.6g, \"dgemv_transposed\": %.6g, "
           "\"blocked_scale_dsyrk\": %.6g, \"blocked_scale_part\": %.6g, "
           "\"openblas_threads\": %d, \"openblas_config\": \"%s\", \"checksum\": %.6g}\n",
           n, p, reps, path ? "file" : "synthetic", median(tSyrk, reps), median(tGemv, reps), median(tGemvT, reps),
           median(tBlocked, reps), median(tScale, reps), openblas_get_num_threads(), openblas_get_config(), sink);
    return 0;
}
