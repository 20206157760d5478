/* gsl-rng-speed.c — nanoseconds per gsl_rng_uniform for GSL's MT19937 and taus2 (and two others
 * for scale), the measurement behind SynthArm's choice of taus2 (Docs/Methods.md, random streams;
 * Docs/Performance.md, third round). One core, 10^8 draws each, summed so nothing is optimised away.
 *
 *   cc -O2 Scripts/bench/gsl-rng-speed.c -o /tmp/gsl-rng-speed -lgsl -lgslcblas -lm && /tmp/gsl-rng-speed
 */
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(void) {
  const gsl_rng_type *types[] = {gsl_rng_mt19937, gsl_rng_taus2, gsl_rng_gfsr4, gsl_rng_ranlxs0};
  const long n = 100000000L;
  for (int k = 0; k < 4; k++) {
    gsl_rng *r = gsl_rng_alloc(types[k]);
    gsl_rng_set(r, 1);
    double sum = 0, start = now();
    for (long i = 0; i < n; i++) sum += gsl_rng_uniform(r);
    double elapsed = now() - start;
    printf("%-8s %5.2f ns per draw (state %zu bytes; mean %.6f)\n", gsl_rng_name(r), elapsed / n * 1e9,
           gsl_rng_size(r), sum / n);
    gsl_rng_free(r);
  }
  return 0;
}
