// Exponential (one interval) control hazard with a robust two-component gamma mixture prior.
// SynthArm reference fixture (Scripts/mcmc/run-fixtures.R); written for Stan 2.21 syntax.
//
//   lambda ~ (1 - w_vague) * Gamma(a_inf, b_inf) + w_vague * Gamma(a_vag, b_vag)   (shape, rate)
//   treatment hazard lambda * exp(theta), theta = log HR with a flat prior
data {
  real<lower=0> d_c;
  real<lower=0> E_c;
  real<lower=0> d_t;
  real<lower=0> E_t;
  real<lower=0> a_inf;
  real<lower=0> b_inf;
  real<lower=0> a_vag;
  real<lower=0> b_vag;
  real<lower=0, upper=1> w_vague;
}
parameters {
  real alpha;               // log lambda
  real theta;               // log hazard ratio (flat prior)
}
model {
  real lambda = exp(alpha);
  // mixture prior on lambda, + alpha = log Jacobian of lambda = exp(alpha)
  target += log_mix(1 - w_vague,
                    gamma_lpdf(lambda | a_inf, b_inf),
                    gamma_lpdf(lambda | a_vag, b_vag)) + alpha;
  target += (d_c + d_t) * alpha + theta * d_t - lambda * (E_c + exp(theta) * E_t);
}
generated quantities {
  int theta_neg = theta < 0;
}
