# Reference figures for package declic/surveys/stats, made with GNU R 4.2
# (Debian 12 r-base-core 4.2.2) and its defaults.
#
#   cd testdata/stats && Rscript make_fixtures.R
#
# Writes, next to this script:
#   samples.csv      case,phase,value   (pairs are rows of the same rank
#                                       within a case's pre and post)
#   paired.csv       t.test / wilcox.test (paired = TRUE) of post vs pre
#   unpaired.csv     t.test(post, pre) (Welch) and wilcox.test(post, pre)
#   mcnemar.csv      mcnemar.test on the 0/1 cases
#   alpha_items.csv  case,item,value   (respondents in row order per item)
#   alpha.csv        Cronbach's alpha from its formula
#   holm.csv         p.adjust(p, "holm"), NA kept
#   qt.csv           qt(p, df), whole and fractional df, far tails
#   qnorm.csv        qnorm(p)
#   pnt.csv          pt(t, df, ncp), both tails (the noncentral t CDF)
#   mean_ci.csv      t.test(x)$conf.int for each phase of samples.csv
#   mde.csv          power.t.test(n = n, power = .8, type = "paired")$delta
#   pairs_needed.csv power.t.test(delta = dz, power = .8, type = "paired")$n
#   wilson.csv       prop.test(x, n, correct = FALSE)$conf.int
#   shares.csv       prop.test(c(x2, x1), c(n2, n1), correct = FALSE)
#   means.csv        t.test(post, pre) (Welch) interval of samples.csv
#   std_diff.csv     (mean(pre) - mean(post)) / pooled SD of samples.csv
# NA marks what R leaves undefined (NA, NaN or an error).
#
# The Go code counts two scores as equal within 1e-9, so that scale scores
# (means of items) that are equal on paper tie. R compares doubles exactly,
# so the scale cases pass digits.rank = 7 to wilcox.test, which ranks
# signif(x, 7): the ties R then sees are the ties on paper. Every other case
# uses R's defaults untouched.

set.seed(20240607)

num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

likert <- function(n, probs = rep(0.2, 5)) sample(1:5, n, replace = TRUE, prob = probs)

# Mean of 3 Likert items, as the app scores a scale.
scale3 <- function(n, probs = rep(0.2, 5)) {
  m <- matrix(likert(3 * n, probs), ncol = 3)
  apply(m, 1, mean)
}

# A POST that moves some of PRE's answers up or down by one step.
nudge <- function(pre, up = 0.4, down = 0.15, lo = 1, hi = 5) {
  u <- runif(length(pre))
  step <- ifelse(u < up, 1, ifelse(u < up + down, -1, 0))
  pmin(hi, pmax(lo, pre + step))
}

cases <- list()
add <- function(name, pre, post, scale = FALSE, binary = FALSE) {
  cases[[name]] <<- list(pre = pre, post = post, scale = scale, binary = binary)
}

# Likert 1-5: ties and zero differences, so the normal path.
p <- likert(12); add("likert_n12", p, nudge(p))
p <- likert(60); add("likert_n60", p, nudge(p))
p <- likert(200, c(.1, .2, .4, .2, .1)); add("likert_n200", p, nudge(p, .3, .25))
# Continuous, no ties, no zeros: the exact path below 50.
p <- rnorm(10, 3); add("cont_n10", p, p + rnorm(10, 0.5))
p <- rnorm(25, 3); add("cont_n25", p, p + rnorm(25, 0.2))
p <- rnorm(49, 3); add("cont_n49", p, p + rnorm(49, 0.3))
p <- rnorm(50, 3); add("cont_n50", p, p + rnorm(50, 0.3))
p <- rnorm(120, 3); add("cont_n120", p, p + rnorm(120, 0.1))
# One zero difference among continuous ones: normal path despite n < 50.
p <- rnorm(15, 3); q <- p + rnorm(15, 0.4); q[7] <- p[7]; add("cont_one_zero", p, q)
# Ties among |d| but no zero: normal path.
p <- round(rnorm(20, 10), 2); add("ties_no_zero", p, p + sample(c(-2, -1, 1, 2, 3), 20, TRUE))
# A strong effect: p-values far in the tail.
p <- rnorm(40, 3, 0.5); add("strong_effect", p, p + 2 + rnorm(40, 0, 0.3))
# Every difference positive and distinct: the smallest exact p.
p <- 1:8; add("all_up_n8", p, p + (1:8) / 10)
# Scale scores (means of 3 items): ties of thirds.
p <- scale3(20); add("scale3_n20", p, pmin(5, p + sample(c(-1, 0, 1, 2, 3), 20, TRUE) / 3), scale = TRUE)
p <- scale3(80); add("scale3_n80", p, pmin(5, p + sample(c(-2, -1, 0, 1, 2, 3), 80, TRUE) / 3), scale = TRUE)
p <- scale3(45); add("scale3_n45", p, scale3(45), scale = TRUE)
# Undefined statistics.
add("all_zero", c(1, 2, 3, 4), c(1, 2, 3, 4))
add("constant_shift", c(1, 2, 3, 4, 2), c(2, 3, 4, 5, 3))
add("scale_constant_shift", c(4, 5, 2, 7) / 3, c(7, 8, 5, 10) / 3, scale = TRUE)
add("n1", 2, 4)
add("n2", c(2, 3), c(4, 4))
add("all_tied", c(3, 3, 3), c(3, 3, 3))
add("both_constant", c(2, 2, 2), c(4, 4, 4))
add("post_constant", c(1, 2, 4, 5), c(3, 3, 3, 3))
# Unequal groups (unpaired only).
add("groups_15_9", rnorm(15, 2), rnorm(9, 2.8))
add("groups_49_49", rnorm(49), rnorm(49, 0.4))
add("groups_30_50", rnorm(30), rnorm(50, 0.3))
add("groups_1_6", 2.5, c(1.2, 3.4, 2.2, 4.1, 0.7, 5.3))
add("likert_31_24", likert(31), likert(24, c(.05, .1, .2, .35, .3)))
# 0/1 scores for McNemar.
p <- rbinom(30, 1, 0.4); add("bin_n30", p, ifelse(runif(30) < 0.35, 1 - p, p), binary = TRUE)
p <- rbinom(200, 1, 0.5); add("bin_n200", p, ifelse(runif(200) < 0.2, 1, p), binary = TRUE)
add("bin_b_eq_c", c(0, 0, 1, 1, 0, 1), c(1, 1, 0, 0, 0, 1), binary = TRUE)
add("bin_no_change", c(0, 1, 1, 0), c(0, 1, 1, 0), binary = TRUE)
add("bin_b5_c0", c(0, 0, 0, 0, 0, 1, 1), c(1, 1, 1, 1, 1, 1, 1), binary = TRUE)

# t.test and wilcox.test stop on some inputs; those become NA.
attempt <- function(expr) tryCatch(expr, error = function(e) NULL)
tol <- 1e-9

samples <- do.call(rbind, lapply(names(cases), function(nm) {
  cs <- cases[[nm]]
  data.frame(case = nm,
             phase = c(rep("pre", length(cs$pre)), rep("post", length(cs$post))),
             value = num(c(cs$pre, cs$post)))
}))
write.csv(samples, "samples.csv", row.names = FALSE, quote = FALSE)

paired <- do.call(rbind, lapply(names(cases), function(nm) {
  cs <- cases[[nm]]
  if (length(cs$pre) != length(cs$post)) return(NULL)
  d <- cs$post - cs$pre
  n <- length(d)
  tt <- if (n >= 2) attempt(t.test(cs$post, cs$pre, paired = TRUE)) else NULL
  if (!is.null(tt) && is.nan(tt$statistic)) tt <- NULL
  digits <- if (cs$scale) 7 else Inf
  wt <- suppressWarnings(attempt(
    wilcox.test(cs$post, cs$pre, paired = TRUE, digits.rank = digits)))
  wp <- if (is.null(wt)) NA else wt$p.value
  wv <- if (is.null(wt) || is.na(wp)) NA else wt$statistic
  method <- if (is.na(wp)) "NA" else if (grepl("exact", wt$method)) "exact" else "normal"
  sdd <- if (n >= 2) sd(d) else NA
  data.frame(case = nm, n = n,
             mean_pre = num(mean(cs$pre)), mean_post = num(mean(cs$post)),
             mean_diff = num(mean(d)), sd_diff = num(sdd),
             ci_lo = num(if (is.null(tt)) NA else tt$conf.int[1]),
             ci_hi = num(if (is.null(tt)) NA else tt$conf.int[2]),
             t = num(if (is.null(tt)) NA else tt$statistic),
             df = num(if (is.null(tt)) NA else tt$parameter),
             p_t = num(if (is.null(tt)) NA else tt$p.value),
             v = num(wv), p_v = num(wp), method_v = method,
             # d_z only where t.test is defined: the same zero-variance rule.
             dz = num(if (is.null(tt)) NA else mean(d) / sdd),
             improved = sum(d > tol), unchanged = sum(abs(d) <= tol),
             declined = sum(d < -tol))
}))
write.csv(paired, "paired.csv", row.names = FALSE, quote = FALSE)

unpaired <- do.call(rbind, lapply(names(cases), function(nm) {
  cs <- cases[[nm]]
  tt <- attempt(t.test(cs$post, cs$pre))
  digits <- if (cs$scale) 7 else Inf
  wt <- suppressWarnings(attempt(wilcox.test(cs$post, cs$pre, digits.rank = digits)))
  wp <- if (is.null(wt)) NA else wt$p.value
  method <- if (is.na(wp)) "NA" else if (grepl("exact", wt$method)) "exact" else "normal"
  data.frame(case = nm,
             welch_t = num(if (is.null(tt)) NA else tt$statistic),
             welch_df = num(if (is.null(tt)) NA else tt$parameter),
             welch_p = num(if (is.null(tt)) NA else tt$p.value),
             w = num(if (is.na(wp)) NA else wt$statistic), p_w = num(wp),
             method_w = method)
}))
write.csv(unpaired, "unpaired.csv", row.names = FALSE, quote = FALSE)

mcnemar <- do.call(rbind, lapply(names(cases), function(nm) {
  cs <- cases[[nm]]
  if (!cs$binary) return(NULL)
  tab <- table(factor(cs$pre, levels = 0:1), factor(cs$post, levels = 0:1))
  mt <- mcnemar.test(tab)
  data.frame(case = nm, b = tab["0", "1"], c = tab["1", "0"],
             statistic = num(mt$statistic), p = num(mt$p.value))
}))
write.csv(mcnemar, "mcnemar.csv", row.names = FALSE, quote = FALSE)

# Cronbach's alpha: a list of item vectors per case.
alpha_cases <- list()
latent <- rnorm(30)
alpha_cases$likert_k4_n30 <- lapply(1:4, function(j)
  pmin(5, pmax(1, round(3 + latent + rnorm(30, 0, 0.8)))))
latent <- rnorm(100)
alpha_cases$likert_k3_n100 <- lapply(1:3, function(j)
  pmin(5, pmax(1, round(3 + 0.6 * latent + rnorm(100)))))
alpha_cases$k2_n12 <- list(likert(12), likert(12))
alpha_cases$negative <- list(c(1, 2, 3, 4, 5, 1), c(5, 4, 3, 2, 1, 4), c(2, 2, 3, 3, 4, 1))
alpha_cases$perfect <- list(c(1, 2, 3, 4), c(1, 2, 3, 4), c(1, 2, 3, 4))
alpha_cases$binary_k5_n40 <- lapply(1:5, function(j) rbinom(40, 1, 0.6))
alpha_cases$constant_total <- list(c(1, 2, 3, 4), c(4, 3, 2, 1))
alpha_cases$n1 <- list(3, 4, 2)
alpha_cases$k1 <- list(c(1, 2, 3))

cronbach <- function(items) {
  k <- length(items)
  m <- do.call(cbind, items)
  if (k < 2 || nrow(m) < 2) return(NA)
  vt <- var(rowSums(m))
  if (vt == 0) return(NA)
  k / (k - 1) * (1 - sum(apply(m, 2, var)) / vt)
}

alpha_items <- do.call(rbind, lapply(names(alpha_cases), function(nm) {
  items <- alpha_cases[[nm]]
  do.call(rbind, lapply(seq_along(items), function(j)
    data.frame(case = nm, item = j, value = num(items[[j]]))))
}))
write.csv(alpha_items, "alpha_items.csv", row.names = FALSE, quote = FALSE)
alpha <- data.frame(case = names(alpha_cases),
                    alpha = sapply(alpha_cases, function(it) num(cronbach(it))))
write.csv(alpha, "alpha.csv", row.names = FALSE, quote = FALSE)

holm_cases <- list(
  random10 = runif(10)^3,
  with_na = c(0.01, NA, 0.04, 0.03, NA, 0.2),
  ties = c(0.02, 0.02, 0.5, 0.01, 0.02),
  capped = c(0.3, 0.6, 0.9, 0.45),
  single = 0.04,
  all_na = c(NA, NA),
  tiny = c(1e-12, 3e-8, 0.049, 0.0001)
)
holm <- do.call(rbind, lapply(names(holm_cases), function(nm) {
  p <- holm_cases[[nm]]
  data.frame(case = nm, p = num(p), adjusted = num(p.adjust(p, method = "holm")))
}))
write.csv(holm, "holm.csv", row.names = FALSE, quote = FALSE)

# From here on nothing is random, so the figures above stay as they were.
#
# Quantiles. p is written as the double R used, so Go reads the same one.
qt_p <- c(1e-12, 1e-8, 1e-5, 0.001, 0.01, 0.025, 0.05, 0.1, 0.25, 0.4, 0.49,
          0.5, 0.6, 0.75, 0.9, 0.95, 0.975, 0.99, 0.999, 1 - 1e-6)
qt_df <- c(1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 7.3, 9, 10, 19.6, 29, 30, 31, 50.5,
           100, 499, 1000, 12345.6, 1e5, 4e5, 400001, 1e6, 1e8, 1e21)
qtab <- expand.grid(p = qt_p, df = qt_df)
write.csv(data.frame(p = num(qtab$p), df = num(qtab$df), q = num(qt(qtab$p, qtab$df))),
          "qt.csv", row.names = FALSE, quote = FALSE)
qn_p <- c(1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.01, 0.02, 0.025, 0.0243,
          0.1, 0.3, 0.4999, 0.5, 0.5001, 0.7, 0.9, 0.975, 0.99, 0.999999, 1 - 1e-12)
write.csv(data.frame(p = num(qn_p), q = num(qnorm(qn_p))),
          "qnorm.csv", row.names = FALSE, quote = FALSE)

# The noncentral t CDF where power.t.test evaluates it, and around. AS 243
# is accurate to about 1e-10 absolute (R warns when a lower tail passes
# 1 - 1e-10), so the tests take 1e-9 absolute for the smallest values.
pnt_tab <- rbind(
  expand.grid(t = c(-3, -0.5, 0, 0.7, 1.96, 2.26, 4.3, 12.7, 40),
              df = c(1, 2.5, 9, 30, 199, 5000, 4e5, 5e5),
              ncp = c(-2, 1e-7, 0.3, 1, 2.8, 8, 30, 39)),
  data.frame(t = 1.97, df = 1e4, ncp = c(0.5, 2.5, 37.5, 38)))
write.csv(data.frame(t = num(pnt_tab$t), df = num(pnt_tab$df), ncp = num(pnt_tab$ncp),
                     lower = num(suppressWarnings(pt(pnt_tab$t, pnt_tab$df, pnt_tab$ncp))),
                     upper = num(suppressWarnings(
                       pt(pnt_tab$t, pnt_tab$df, pnt_tab$ncp, lower.tail = FALSE)))),
          "pnt.csv", row.names = FALSE, quote = FALSE)

# t interval of one mean, each phase of each sample.
mean_ci <- do.call(rbind, lapply(names(cases), function(nm) {
  do.call(rbind, lapply(c("pre", "post"), function(ph) {
    x <- cases[[nm]][[ph]]
    tt <- if (length(x) >= 2) attempt(t.test(x)) else NULL
    data.frame(case = nm, phase = ph,
               ci_lo = num(if (is.null(tt)) NA else tt$conf.int[1]),
               ci_hi = num(if (is.null(tt)) NA else tt$conf.int[2]))
  }))
}))
write.csv(mean_ci, "mean_ci.csv", row.names = FALSE, quote = FALSE)

# Power of the paired t-test (two-sided, strict = FALSE, the default).
mde_n <- c(2:200, 250, 500, 1000, 5000, 1e4, 1e5, 4e5, 400001, 400002, 1e6, 1e7)
mde <- sapply(mde_n, function(n)
  power.t.test(n = n, sd = 1, sig.level = 0.05, power = 0.8, type = "paired")$delta)
write.csv(data.frame(n = mde_n, delta = num(mde)), "mde.csv", row.names = FALSE, quote = FALSE)

dz <- c(0.001, 0.01, 0.02, 0.05, seq(0.1, 2, by = 0.05), 2.5, 3, 4, 5, 8, 10, 12,
        13, 50, 1e3, -0.3)
n_root <- sapply(dz, function(d)
  power.t.test(delta = d, sd = 1, sig.level = 0.05, power = 0.8, type = "paired")$n)
write.csv(data.frame(dz = num(dz), n_root = num(n_root), n = ceiling(n_root)),
          "pairs_needed.csv", row.names = FALSE, quote = FALSE)

# Shares: the Wilson score interval, one period and two.
prop <- function(x, n) attempt(suppressWarnings(prop.test(x, n, correct = FALSE)))
wilson_xn <- rbind(expand.grid(x = 0:5, n = 5), expand.grid(x = c(0, 1, 7, 12, 22, 23), n = 23),
                   data.frame(x = c(0, 1, 2, 500, 999, 1000), n = 1000),
                   data.frame(x = c(0, 1), n = 1), data.frame(x = 0, n = 0))
wilson <- do.call(rbind, lapply(seq_len(nrow(wilson_xn)), function(i) {
  x <- wilson_xn$x[i]; n <- wilson_xn$n[i]
  pt <- prop(x, n)
  data.frame(x = x, n = n,
             p = num(if (is.null(pt)) NA else pt$estimate),
             ci_lo = num(if (is.null(pt)) NA else pt$conf.int[1]),
             ci_hi = num(if (is.null(pt)) NA else pt$conf.int[2]))
}))
write.csv(wilson, "wilson.csv", row.names = FALSE, quote = FALSE)

shares_in <- data.frame(
  x1 = c(12, 40, 0, 10, 0, 5, 3, 45, 30, 0, 7, 3),
  n1 = c(30, 100, 20, 10, 15, 5, 40, 60, 200, 0, 9, 8),
  x2 = c(20, 55, 3, 7, 0, 5, 3, 45, 31, 4, 0, 8),
  n2 = c(31, 90, 25, 10, 12, 5, 4, 60, 190, 9, 0, 8))
shares <- do.call(rbind, lapply(seq_len(nrow(shares_in)), function(i) {
  s <- shares_in[i, ]
  pt <- prop(c(s$x2, s$x1), c(s$n2, s$n1))
  data.frame(s, diff = num(if (is.null(pt)) NA else pt$estimate[1] - pt$estimate[2]),
             ci_lo = num(if (is.null(pt)) NA else pt$conf.int[1]),
             ci_hi = num(if (is.null(pt)) NA else pt$conf.int[2]),
             p = num(if (is.null(pt)) NA else pt$p.value))
}))
write.csv(shares, "shares.csv", row.names = FALSE, quote = FALSE)

# Means of two periods (pre as the first, post as the second): Welch.
means <- do.call(rbind, lapply(names(cases), function(nm) {
  a <- cases[[nm]]$pre; b <- cases[[nm]]$post
  tt <- attempt(t.test(b, a))
  data.frame(case = nm, diff = num(mean(b) - mean(a)),
             ci_lo = num(if (is.null(tt)) NA else tt$conf.int[1]),
             ci_hi = num(if (is.null(tt)) NA else tt$conf.int[2]),
             p = num(if (is.null(tt)) NA else tt$p.value))
}))
write.csv(means, "means.csv", row.names = FALSE, quote = FALSE)

# Standardized difference for attrition: sums of squares, so that a group
# of one counts (its variance is NA in R, its sum of squares 0).
std_diff <- do.call(rbind, lapply(names(cases), function(nm) {
  a <- cases[[nm]]$pre; b <- cases[[nm]]$post
  ss <- sum((a - mean(a))^2) + sum((b - mean(b))^2)
  df <- length(a) + length(b) - 2
  sp <- if (df >= 1) sqrt(ss / df) else NA
  data.frame(case = nm, d = num(if (is.na(sp) || sp == 0) NA else (mean(a) - mean(b)) / sp))
}))
write.csv(std_diff, "std_diff.csv", row.names = FALSE, quote = FALSE)
