# Reference values for the statistics tests, computed with R (independent of this project).
# Run from the repository root:
#   Rscript tests/reference/make_fixtures.R
# Made with R 4.2.2, psych 2.2.9, psychTools 2.2.9, effectsize 0.8.3, lavaan 0.6.14,
# GPArotation, jsonlite (Debian 12 packages r-base-core r-cran-psych r-cran-psychtools
# r-cran-effectsize r-cran-lavaan r-cran-gparotation r-cran-jsonlite).
# Inputs:  tests/reference/example_processed.csv (cleaned frozen two-cycle example, see export_example.py)
#          psychTools::bfi (written to tests/reference/bfi.csv for the Python side)
# Output:  tests/reference/fixtures.json (full precision)
suppressMessages({
  library(psych); library(psychTools); library(effectsize); library(jsonlite); library(lavaan)
  library(GPArotation)
})
options(digits = 17)
here <- "tests/reference"

versions <- list(R = R.version.string, psych = as.character(packageVersion("psych")),
                 psychTools = as.character(packageVersion("psychTools")),
                 effectsize = as.character(packageVersion("effectsize")),
                 lavaan = as.character(packageVersion("lavaan")))

# ---------------------------------------------------------------- Cronbach's alpha
bfi_items <- bfi[, 1:25]
write.csv(bfi_items, file.path(here, "bfi.csv"), row.names = FALSE, na = "")

# Rescore reverse-keyed items as (min + max) - x, as psych::alpha does with `keys`.
reverse_keyed <- function(x, keys) {
  for (k in keys) x[[k]] <- min(x[[k]], na.rm = TRUE) + max(x[[k]], na.rm = TRUE) - x[[k]]
  x
}

alpha_case <- function(name, x, keys = NULL, listwise = FALSE) {
  if (listwise) x <- na.omit(x)
  a <- psych::alpha(x, keys = keys, warnings = FALSE)
  list(name = name, items = colnames(x), reverse = if (is.null(keys)) list() else keys,
       missing_policy = if (listwise) "listwise" else "pairwise",
       n_obs = nrow(x), raw_alpha = a$total$raw_alpha, std_alpha = a$total$std.alpha,
       feldt_lower = a$feldt$lower.ci[[1]], feldt_upper = a$feldt$upper.ci[[1]],
       std_alpha = a$total$std.alpha, lambda6 = a$total[["G6(smc)"]], average_r = a$total$average_r,
       omega_total = suppressMessages(suppressWarnings(
         psych::omega(reverse_keyed(x, keys), nfactors = 1, plot = FALSE)))$omega.tot,
       item_stats = lapply(rownames(a$item.stats), function(i) list(
         item = sub("-$", "", i), n = a$item.stats[i, "n"], mean = a$item.stats[i, "mean"],
         sd = a$item.stats[i, "sd"], r_drop = a$item.stats[i, "r.drop"],
         alpha_if_deleted = a$alpha.drop[i, "raw_alpha"])))
}

ex <- read.csv(file.path(here, "example_processed.csv"), stringsAsFactors = FALSE)
dims <- list(PAR = paste0("PAR", 1:5), HAP = paste0("HAP", 1:4), ACC = paste0("ACC", 1:4),
             NET = paste0("NET", 1:4), AST = paste0("AST", 1:5), TEC = paste0("TEC", 1:5))
items <- unlist(dims, use.names = FALSE)
c2 <- ex[ex$cycle == "C2", ]

alpha_cases <- list(
  alpha_case("bfi_A", bfi_items[, paste0("A", 1:5)], keys = c("A1")),
  alpha_case("bfi_A_listwise", bfi_items[, paste0("A", 1:5)], keys = c("A1"), listwise = TRUE),
  alpha_case("bfi_C", bfi_items[, paste0("C", 1:5)], keys = c("C4", "C5")),
  alpha_case("bfi_O", bfi_items[, paste0("O", 1:5)], keys = c("O2", "O5")),
  alpha_case("bfi_all", bfi_items, keys = c("A1", "C4", "C5", "E1", "E2", "O2", "O5"))
)
for (d in names(dims)) alpha_cases[[length(alpha_cases) + 1]] <- alpha_case(paste0("example_C2_", d), c2[, dims[[d]]])
alpha_cases[[length(alpha_cases) + 1]] <- alpha_case("example_C2_overall", c2[, items])
alpha_cases[[length(alpha_cases) + 1]] <- alpha_case("example_C2_overall_listwise", c2[, items], listwise = TRUE)

# ---------------------------------------------------------------- descriptives
scores <- function(d) {
  s <- sapply(dims, function(cols) rowMeans(d[, cols], na.rm = TRUE))
  cbind(s, overall = rowMeans(d[, items], na.rm = TRUE))
}
s2 <- scores(c2)
desc_items <- psych::describe(c2[, items], type = 2)  # type 2 skewness = SPSS / Excel SKEW
desc_scores <- psych::describe(s2, type = 2)
pooled <- unlist(c2[, items]); pooled <- pooled[!is.na(pooled)]
descriptives <- list(
  items = lapply(items, function(i) list(item = i, n = desc_items[i, "n"], mean = desc_items[i, "mean"],
                                          sd = desc_items[i, "sd"], median = desc_items[i, "median"],
                                          skew = desc_items[i, "skew"],
                                          percent = as.list(100 * as.vector(prop.table(table(factor(c2[[i]], levels = 1:5))))))),
  scores = lapply(colnames(s2), function(s) list(scale = s, n = desc_scores[s, "n"],
                                                 mean = desc_scores[s, "mean"], sd = desc_scores[s, "sd"],
                                                 median = desc_scores[s, "median"], skew = desc_scores[s, "skew"])),
  pooled = list(n = length(pooled), mean = mean(pooled), sd = sd(pooled))
)

# ---------------------------------------------------------------- group comparisons (report cycle)
# Welch's ANOVA (oneway.test), Kruskal-Wallis, eta squared and rank epsilon squared per scale.
groups <- lapply(colnames(s2), function(s) {
  d <- data.frame(y = s2[, s], g = factor(c2$group))
  d <- d[!is.na(d$y), ]
  w <- oneway.test(y ~ g, data = d, var.equal = FALSE)
  k <- kruskal.test(y ~ g, data = d)
  list(scale = s, welch_f = unname(w$statistic), welch_df1 = unname(w$parameter[1]),
       welch_df2 = unname(w$parameter[2]), welch_p = w$p.value,
       kruskal_h = unname(k$statistic), kruskal_df = unname(k$parameter), kruskal_p = k$p.value,
       eta_squared = effectsize::eta_squared(aov(y ~ g, data = d), partial = FALSE)$Eta2,
       rank_epsilon_squared = effectsize::rank_epsilon_squared(y ~ g, data = d)$rank_epsilon_squared)
})

# ---------------------------------------------------------------- cycle comparison
c1 <- ex[ex$cycle == "C1", ]
s1 <- scores(c1)
rownames(s1) <- c1$respondent_id; rownames(s2) <- c2$respondent_id
both <- intersect(c1$respondent_id, c2$respondent_id)
comparisons <- lapply(colnames(s2), function(s) {
  w <- t.test(s2[, s], s1[, s], var.equal = FALSE)
  p <- t.test(s2[both, s], s1[both, s], paired = TRUE)
  g <- effectsize::hedges_g(s2[, s], s1[, s])
  dz <- effectsize::cohens_d(s2[both, s], s1[both, s], paired = TRUE)
  wp <- suppressWarnings(wilcox.test(s2[both, s], s1[both, s], paired = TRUE))
  mw <- suppressWarnings(wilcox.test(s2[, s], s1[, s]))
  list(scale = s, n_before = nrow(s1), n_after = nrow(s2), n_paired = length(both),
       welch_ci_low = w$conf.int[1], welch_ci_high = w$conf.int[2],
       paired_ci_low = p$conf.int[1], paired_ci_high = p$conf.int[2],
       wilcoxon_v = unname(wp$statistic), wilcoxon_p = wp$p.value,
       mann_whitney_w = unname(mw$statistic), mann_whitney_p = mw$p.value,
       rank_biserial_paired = effectsize::rank_biserial(s2[both, s], s1[both, s], paired = TRUE)$r_rank_biserial,
       rank_biserial = effectsize::rank_biserial(s2[, s], s1[, s])$r_rank_biserial,
       welch_t = unname(w$statistic), welch_df = unname(w$parameter), welch_p = w$p.value,
       paired_t = unname(p$statistic), paired_df = unname(p$parameter), paired_p = p$p.value,
       paired_mean_difference = unname(p$estimate),
       hedges_g = g$Hedges_g, cohens_dz = dz$Cohens_d)
})
dim_p <- sapply(comparisons[1:6], function(r) r$paired_p)
holm <- p.adjust(dim_p, method = "holm")
for (i in 1:6) comparisons[[i]]$paired_p_holm <- holm[[i]]

# ---------------------------------------------------------------- CFA (lavaan, ML, listwise)
# The six-dimension model on the example's report cycle; first loading of each factor fixed to 1.
cfa_model <- paste(sapply(names(dims), function(d) paste(d, "=~", paste(dims[[d]], collapse = " + "))),
                   collapse = "\n")
fit <- lavaan::cfa(cfa_model, data = na.omit(c2[, items]), estimator = "ML")
fm <- lavaan::fitMeasures(fit, c("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea.ci.lower",
                                 "rmsea.ci.upper", "srmr"))
std <- lavaan::standardizedSolution(fit)
std <- std[std$op == "=~", ]
cfa <- list(n_obs = lavaan::lavInspect(fit, "nobs"), fit = as.list(fm),
            loadings = lapply(seq_len(nrow(std)), function(i) list(factor = std$lhs[i], item = std$rhs[i],
                                                                  std_loading = std$est.std[i])))

out <- list(versions = versions, alpha = alpha_cases, descriptives = descriptives,
            comparisons = comparisons, cfa = cfa, groups = groups)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(here, "fixtures.json"))
cat("wrote", file.path(here, "fixtures.json"), "\n")
