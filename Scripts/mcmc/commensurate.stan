// Hierarchical commensurate prior for a piecewise-exponential (PEM) model, in the style of
// psborrow2's PEM + BorrowingHierarchicalCommensurate, with data as sufficient statistics.
// SynthArm reference fixture (Scripts/mcmc/run-fixtures.R); written for Stan 2.21 syntax.
//
//   external log hazard    alpha_e[j], flat prior
//   internal log hazard    alpha_c[j] ~ normal(alpha_e[j], 1 / sqrt(tau))   (one tau for all j)
//   commensurability       tau ~ Gamma(tau_shape, tau_rate), sampled as log_tau (+ Jacobian)
//   treatment hazard       exp(alpha_c[j] + theta), theta = log HR with a flat prior
// Likelihoods are the exact Poisson/PWE kernels d * log(lambda) - lambda * E.
// The centred parameterisation mixed best in our checks (the non-centred one diverged);
// run-fixtures.R samples it with adapt_delta = 0.99 (0.95 left a few divergences at small tau).
data {
  int<lower=1> J;
  vector<lower=0>[J] d_c;   // internal control events per interval
  vector<lower=0>[J] E_c;   // internal control exposure
  vector<lower=0>[J] d_t;   // treatment events
  vector<lower=0>[J] E_t;   // treatment exposure
  vector<lower=0>[J] d_e;   // external control events
  vector<lower=0>[J] E_e;   // external control exposure
  real<lower=0> tau_shape;
  real<lower=0> tau_rate;
}
parameters {
  vector[J] alpha_e;
  vector[J] alpha_c;
  real log_tau;
  real theta;
}
model {
  // tau ~ Gamma(tau_shape, tau_rate) on the log scale: log p(tau) + log |d tau / d log_tau|
  target += tau_shape * log_tau - tau_rate * exp(log_tau);
  alpha_c ~ normal(alpha_e, exp(-0.5 * log_tau));
  // current trial: internal controls and treatment
  target += dot_product(d_c + d_t, alpha_c) + theta * sum(d_t)
            - dot_product(exp(alpha_c), E_c + exp(theta) * E_t);
  // external controls
  target += dot_product(d_e, alpha_e) - dot_product(exp(alpha_e), E_e);
}
generated quantities {
  int theta_neg = theta < 0;
  real tau = exp(log_tau);
}
