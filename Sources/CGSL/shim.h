/* SynthArm's view of GNU GSL. Include only what the GSL module wraps, and say why. */
#ifndef SYNTHARM_CGSL_SHIM_H
#define SYNTHARM_CGSL_SHIM_H
#include <gsl/gsl_errno.h>     /* status codes, gsl_set_error_handler_off, gsl_strerror */
#include <gsl/gsl_rng.h>       /* per-stream generators (taus2) */
#include <gsl/gsl_randist.h>   /* samplers */
#include <gsl/gsl_cdf.h>       /* P/Q/Pinv/Qinv of normal, chi-square, t, beta */
#include <gsl/gsl_multimin.h>  /* BFGS2 and Nelder-Mead for maximum likelihood */
#include <gsl/gsl_roots.h>     /* Brent root bracketing */
#include <gsl/gsl_min.h>       /* Brent minimisation in one dimension (empirical-Bayes weights) */
#include <gsl/gsl_linalg.h>    /* Cholesky factor / solve / invert */
#include <gsl/gsl_integration.h> /* Gauss-Legendre nodes for posterior quadrature */
#include <gsl/gsl_sf_gamma.h>   /* log-gamma for gamma-Poisson marginals */
#include <gsl/gsl_sf_psi.h>     /* digamma and trigamma: moments of log-gamma variables */
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#endif
