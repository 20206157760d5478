// Piecewise-exponential (PWE) power prior, data as sufficient statistics per interval.
// SynthArm reference fixture (Scripts/mcmc/run-fixtures.R); written for Stan 2.21 syntax.
//
//   control hazard      lambda_j = exp(alpha_j),  lambda_j ~ Gamma(a_init, b_init)  (shape, rate)
//   treatment hazard    lambda_j * exp(theta),     theta = log HR, flat prior
//   current data        Poisson/PWE kernel of internal controls (d_c, E_c) and treatment (d_t, E_t)
//   external controls   same lambda_j (no drift), likelihood raised to the power a0
data {
  int<lower=1> J;
  vector<lower=0>[J] d_c;   // internal control events per interval
  vector<lower=0>[J] E_c;   // internal control exposure (person-time)
  vector<lower=0>[J] d_t;   // treatment events
  vector<lower=0>[J] E_t;   // treatment exposure
  vector<lower=0>[J] d_e;   // external control events (real: may be weighted)
  vector<lower=0>[J] E_e;   // external control exposure
  real<lower=0, upper=1> a0;
  real<lower=0> a_init;     // Gamma shape of the initial prior on lambda_j
  real<lower=0> b_init;     // Gamma rate
}
parameters {
  vector[J] alpha;          // log lambda_j
  real theta;               // log hazard ratio (flat prior: no statement)
}
model {
  for (j in 1:J) {
    // Gamma(a_init, b_init) on lambda_j, written for alpha_j = log lambda_j incl. Jacobian
    target += a_init * alpha[j] - b_init * exp(alpha[j]);
    // current trial
    target += (d_c[j] + d_t[j]) * alpha[j] + theta * d_t[j]
              - exp(alpha[j]) * (E_c[j] + exp(theta) * E_t[j]);
    // external controls raised to the power a0
    target += a0 * (d_e[j] * alpha[j] - exp(alpha[j]) * E_e[j]);
  }
}
generated quantities {
  int theta_neg = theta < 0;
}
