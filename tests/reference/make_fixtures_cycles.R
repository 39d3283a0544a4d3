# Reference values for the many-cycle statistics (issue 15), computed with R, independent of
# this project. Run from the repository root after make_cycles_data.py:
#   Rscript tests/reference/make_fixtures_cycles.R
# Needs the Debian 12 packages r-base-core r-cran-psych r-cran-lavaan r-cran-effectsize
# r-cran-lme4 r-cran-jsonlite (versions are written into the output).
# Input:   tests/reference/cycles_panel.csv (synthetic three-cycle panel, make_cycles_data.py)
# Output:  tests/reference/fixtures_cycles.json (full precision)
suppressMessages({
  library(psych); library(effectsize); library(lme4); library(lavaan); library(jsonlite)
})
options(digits = 17)
here <- "tests/reference"

versions <- list(R = R.version.string, psych = as.character(packageVersion("psych")),
                 effectsize = as.character(packageVersion("effectsize")),
                 lme4 = as.character(packageVersion("lme4")),
                 lavaan = as.character(packageVersion("lavaan")))

panel <- read.csv(file.path(here, "cycles_panel.csv"), stringsAsFactors = FALSE)
panel$cycle <- factor(panel$cycle, levels = c("C1", "C2", "C3"))
scales <- list(A = paste0("i", 1:3), B = paste0("i", 4:6), C = paste0("i", 7:9), overall = paste0("i", 1:9))
for (s in names(scales)) panel[[s]] <- rowMeans(panel[, scales[[s]]])

# ---------------------------------------------------------------- trend and across-cycle tests
cycle_stats <- lapply(names(scales), function(s) {
  per_cycle <- lapply(levels(panel$cycle), function(c) {
    x <- panel[panel$cycle == c, s]
    ci <- t.test(x)$conf.int
    list(cycle = c, n = length(x), mean = mean(x), sd = sd(x), ci_low = ci[1], ci_high = ci[2])
  })
  f <- as.formula(paste(s, "~ cycle"))
  w <- oneway.test(f, data = panel, var.equal = FALSE)
  k <- kruskal.test(f, data = panel)
  eta <- effectsize::eta_squared(aov(f, data = panel), partial = FALSE)$Eta2
  eps <- effectsize::rank_epsilon_squared(f, data = panel)$rank_epsilon_squared
  fit <- lmer(f_mixed <- as.formula(paste(s, "~ cycle + (1 | id)")), data = panel, REML = TRUE)
  fe <- summary(fit)$coefficients
  vc <- as.data.frame(VarCorr(fit))
  wald <- confint(fit, method = "Wald")[rownames(fe), ]
  list(scale = s, per_cycle = per_cycle,
       welch_f = unname(w$statistic), welch_df1 = unname(w$parameter[1]),
       welch_df2 = unname(w$parameter[2]), welch_p = w$p.value,
       kruskal_h = unname(k$statistic), kruskal_df = unname(k$parameter), kruskal_p = k$p.value,
       eta_squared = eta, rank_epsilon_squared = eps,
       lmer = list(terms = rownames(fe), estimate = unname(fe[, "Estimate"]),
                   se = unname(fe[, "Std. Error"]), ci_low = unname(wald[, 1]),
                   ci_high = unname(wald[, 2]),
                   var_respondent = vc$vcov[vc$grp == "id"], var_residual = vc$vcov[vc$grp == "Residual"],
                   reml_loglik = as.numeric(logLik(fit)), singular = isSingular(fit),
                   n_obs = nobs(fit), n_respondents = unname(ngrps(fit)["id"])))
})

# ---------------------------------------------------------------- alpha per cycle
alpha_per_cycle <- lapply(names(scales), function(s) {
  list(scale = s, cycles = lapply(levels(panel$cycle), function(c) {
    x <- panel[panel$cycle == c, scales[[s]]]
    list(cycle = c, n = nrow(x), k = ncol(x), alpha = psych::alpha(x, warnings = FALSE)$total$raw_alpha)
  }))
})

# ---------------------------------------------------------------- measurement invariance
model <- "F1 =~ i1 + i2 + i3\nF2 =~ i4 + i5 + i6\nF3 =~ i7 + i8 + i9"
grouped <- panel
grouped$cycle <- as.character(grouped$cycle)
measures <- c("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "baseline.chisq", "baseline.df", "npar")
fits <- list(
  configural = cfa(model, data = grouped, group = "cycle", estimator = "ML"),
  metric = cfa(model, data = grouped, group = "cycle", estimator = "ML", group.equal = c("loadings")),
  scalar = cfa(model, data = grouped, group = "cycle", estimator = "ML",
               group.equal = c("loadings", "intercepts"))
)
invariance <- lapply(names(fits), function(n) {
  m <- fitMeasures(fits[[n]], measures)
  c(list(model = n, groups = lavInspect(fits[[n]], "group.label"),
         converged = lavInspect(fits[[n]], "converged")), as.list(setNames(unname(m), names(m))))
})
lrt <- lavTestLRT(fits$configural, fits$metric, fits$scalar)
invariance_lrt <- list(chisq_diff = unname(lrt[["Chisq diff"]][-1]), df_diff = unname(lrt[["Df diff"]][-1]),
                       p = unname(lrt[["Pr(>Chisq)"]][-1]))
metric_loadings <- subset(parameterEstimates(fits$metric), op == "=~" & group == 1)
scalar_means <- subset(parameterEstimates(fits$scalar), op == "~1" & lhs %in% c("F1", "F2", "F3"))

# Two cycles only (the bundled example's case)
two <- grouped[grouped$cycle != "C3", ]
fits_two <- list(
  configural = cfa(model, data = two, group = "cycle", estimator = "ML"),
  metric = cfa(model, data = two, group = "cycle", estimator = "ML", group.equal = c("loadings")),
  scalar = cfa(model, data = two, group = "cycle", estimator = "ML", group.equal = c("loadings", "intercepts"))
)
invariance_two <- lapply(names(fits_two), function(n) {
  m <- fitMeasures(fits_two[[n]], measures)
  c(list(model = n), as.list(setNames(unname(m), names(m))))
})

# ---------------------------------------------------------------- a singular mixed model
# 40 respondents in two cycles whose means are all 3.5: the respondent variance is 0.
flat <- data.frame(id = rep(sprintf("P%d", 0:39), each = 2), cycle = rep(c("C1", "C2"), 40),
                   y = rep(c(3, 4, 4, 3), 20))
flat_fit <- suppressMessages(lmer(y ~ cycle + (1 | id), data = flat, REML = TRUE))
flat_vc <- as.data.frame(VarCorr(flat_fit))
singular <- list(singular = isSingular(flat_fit), estimate = unname(fixef(flat_fit)),
                 se = unname(sqrt(diag(as.matrix(vcov(flat_fit))))),
                 var_respondent = flat_vc$vcov[flat_vc$grp == "id"],
                 var_residual = flat_vc$vcov[flat_vc$grp == "Residual"],
                 reml_loglik = as.numeric(logLik(flat_fit)))

out <- list(versions = versions, invariance_two = invariance_two, singular_lmer = singular, cycles = cycle_stats, alpha_per_cycle = alpha_per_cycle,
            invariance = invariance, invariance_lrt = invariance_lrt,
            metric_loadings = list(item = metric_loadings$rhs, est = metric_loadings$est),
            scalar_factor_means = list(factor = scalar_means$lhs, group = scalar_means$group,
                                       est = scalar_means$est))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(here, "fixtures_cycles.json"))
cat("wrote", file.path(here, "fixtures_cycles.json"), "\n")
