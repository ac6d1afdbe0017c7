# A whole workshop, answered through Déclic's public API by the test
# TestResultsMatchRThroughAPI (cmd/declic), with the results R gives for it.
# GNU R 4.2 (Debian 12 r-base-core 4.2.2), defaults as CONTRACT.md states.
#
#   cd testdata/workshop && Rscript make_workshop.R
#
# Reads questionnaire.json (beside it, written by hand): l1, l2 (reverse),
# l3 likert 1-5 and their scale "ouverture", quiz k1 (correct "b"), yes/no
# y1, retrospective r1 (POST only) repeating l3 ("of": "l3"), text t1
# (POST only).
# Writes, next to this script:
#   answers.csv         participant,phase,submission,l1,l2,l3,k1,y1,r1_before,r1_now,t1,excluded
#                       as typed (l2 raw, before reverse); "" = not asked;
#                       excluded = TRUE for a response the test excludes
#                       through PUT .../excluded once everything is sent
#   expected.csv        measure,stat,value: stat is the JSON path inside the
#                       item or scale of GET /results ("paired.t.p"), measure
#                       "_" is the top level; NA = null
#
# The workshop has pre-only and post-only pupils, and one pupil (p05) who
# answered POST twice: left out of the pairs, counted in n_duplicates. A
# facilitator excludes p07's PRE: it leaves every figure (n_excluded = 1)
# and p07 counts as a POST-only pupil.
#
# Beyond the tests themselves: mde_dz of every paired block
# (power.t.test), Holm over the items and over the scales, the attrition
# check (PRE of paired vs unpaired pupils) and the response shift of r1
# (its "before" minus the paired pupil's PRE answer to l3).

set.seed(20261124)
num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
likert <- function(n, probs = rep(0.2, 5)) sample(1:5, n, replace = TRUE, prob = probs)
nudge <- function(pre, up = 0.4, down = 0.15) {
  u <- runif(length(pre))
  pmin(5, pmax(1, pre + ifelse(u < up, 1, ifelse(u < up + down, -1, 0))))
}

ids <- sprintf("p%02d", 1:40)
pre_ids <- ids[1:36]                 # p33-p36: PRE only
post_ids <- c(ids[1:32], ids[37:40]) # p37-p40: POST only
lat <- setNames(rnorm(40), ids)
item3 <- function(who, shift = 0) pmin(5, pmax(1, round(3 + 0.8 * lat[who] + shift + rnorm(length(who), 0, 0.8))))

pre <- data.frame(participant = pre_ids, phase = "pre",
                  l1 = item3(pre_ids), l2 = 6 - item3(pre_ids), l3 = item3(pre_ids),
                  k1 = sample(c("a", "b", "c"), 36, TRUE, c(.4, .35, .25)),
                  y1 = rbinom(36, 1, 0.4), r1_before = NA, r1_now = NA, t1 = "")
post <- data.frame(participant = post_ids, phase = "post",
                   l1 = NA, l2 = NA, l3 = NA, k1 = NA, y1 = NA, r1_before = NA, r1_now = NA,
                   t1 = sprintf("J'ai appris ; \"%s\"", post_ids))
both <- intersect(pre_ids, post_ids)
m <- match(post_ids, pre_ids)
for (col in c("l1", "l3")) post[[col]] <- ifelse(is.na(m), item3(post_ids, 0.3), nudge(pre[[col]][m]))
post$l2 <- ifelse(is.na(m), 6 - item3(post_ids, 0.3), 6 - nudge(6 - pre$l2[m]))
post$k1 <- ifelse(runif(36) < 0.55, "b", ifelse(is.na(m), "a", pre$k1[m]))
post$y1 <- ifelse(is.na(m), rbinom(36, 1, 0.6), ifelse(runif(36) < 0.3, 1, pre$y1[m]))
post$r1_before <- likert(36, c(.3, .3, .2, .15, .05))
post$r1_now <- pmax(1, pmin(5, post$r1_before + sample(c(-1, 0, 1, 1, 2), 36, TRUE)))
# p05 answers POST a second time, from another device.
again <- post[post$participant == "p05", ]
again$l1 <- 5; again$r1_before <- 1; again$r1_now <- 5; again$t1 <- "=1+1"
rows <- rbind(pre, post, again)
rows$submission <- sprintf("s%03d", seq_len(nrow(rows)))
rows$excluded <- rows$participant == "p07" & rows$phase == "pre"
write.csv(rows[, c("participant", "phase", "submission", "l1", "l2", "l3", "k1", "y1", "r1_before", "r1_now", "t1", "excluded")],
          "answers.csv", row.names = FALSE, na = "")
n_excluded <- sum(rows$excluded)
rows <- rows[!rows$excluded, ]

# Scores, as Déclic computes them.
rows$s_l1 <- rows$l1; rows$s_l2 <- 6 - rows$l2; rows$s_l3 <- rows$l3
rows$s_k1 <- as.numeric(rows$k1 == "b"); rows$s_y1 <- rows$y1
rows$s_sc <- (rows$s_l1 + rows$s_l2 + rows$s_l3) / 3
P <- rows[rows$phase == "pre", ]; Q <- rows[rows$phase == "post", ]
npost <- table(Q$participant); npre <- table(P$participant)
paired_ids <- intersect(names(npre)[npre == 1], names(npost)[npost == 1])
paired_ids <- sort(paired_ids)
single_post <- names(npost)[npost == 1]

out <- data.frame(measure = character(), stat = character(), value = character())
put <- function(measure, stat, value) out[nrow(out) + 1, ] <<- c(measure, stat, num(value))
put("_", "n_pre", nrow(P)); put("_", "n_post", nrow(Q))
put("_", "n_paired", length(paired_ids)); put("_", "n_duplicates", sum(npost > 1) + sum(npre > 1))
put("_", "n_excluded", n_excluded); put("_", "n_flagged", 0)

attempt <- function(expr) tryCatch(expr, error = function(e) NULL)
summary_of <- function(key, phase, x) {
  put(key, paste0(phase, ".n"), length(x))
  put(key, paste0(phase, ".mean"), if (length(x)) mean(x) else NA)
  put(key, paste0(phase, ".sd"), if (length(x) > 1) sd(x) else NA)
}
pvals <- list(t = c(), w = c(), scales = c())
# family: "items" (Holm over the items), "scales" (over the scales) or NA.
paired_of <- function(key, a, b, digits = Inf, family = "items", prefix = "paired") {
  p <- function(stat) paste0(prefix, ".", stat)
  d <- b - a
  put(key, p("n"), length(d))
  put(key, p("mean_pre"), mean(a)); put(key, p("mean_post"), mean(b))
  put(key, p("mean_diff"), mean(d)); put(key, p("sd_diff"), sd(d))
  tt <- attempt(t.test(b, a, paired = TRUE))
  if (!is.null(tt) && is.nan(tt$statistic)) tt <- NULL
  put(key, p("ci95.0"), if (is.null(tt)) NA else tt$conf.int[1])
  put(key, p("ci95.1"), if (is.null(tt)) NA else tt$conf.int[2])
  put(key, p("t.t"), if (is.null(tt)) NA else tt$statistic)
  put(key, p("t.df"), if (is.null(tt)) NA else tt$parameter)
  put(key, p("t.p"), if (is.null(tt)) NA else tt$p.value)
  put(key, p("effect_size_dz"), if (is.null(tt)) NA else mean(d) / sd(d))
  put(key, p("mde_dz"), if (length(d) < 2) NA else
    power.t.test(n = length(d), sd = 1, sig.level = 0.05, power = 0.8, type = "paired")$delta)
  wt <- suppressWarnings(attempt(wilcox.test(b, a, paired = TRUE, digits.rank = digits)))
  put(key, p("wilcoxon.v"), if (is.null(wt)) NA else wt$statistic)
  put(key, p("wilcoxon.p"), if (is.null(wt)) NA else wt$p.value)
  out[nrow(out) + 1, ] <<- c(key, p("wilcoxon.method"),
                            if (is.null(wt)) "NA" else if (grepl("exact", wt$method)) "exact" else "normal")
  put(key, p("improved"), sum(d > 1e-9)); put(key, p("unchanged"), sum(abs(d) <= 1e-9))
  put(key, p("declined"), sum(d < -1e-9))
  if (!is.na(family) && family == "items") {
    pvals$t[key] <<- if (is.null(tt)) NA else tt$p.value
    pvals$w[key] <<- if (is.null(wt)) NA else wt$p.value
  }
  if (!is.na(family) && family == "scales") pvals$scales[key] <<- if (is.null(tt)) NA else tt$p.value
}
# The attrition check: PRE scores of the paired pupils against those of
# the other PRE answers (pre-only pupils, duplicates), standardised by the
# pooled SD (testdata/stats/make_fixtures.R, std_diff).
attrition_of <- function(key, s) {
  a <- P[[s]][P$participant %in% paired_ids]; b <- P[[s]][!(P$participant %in% paired_ids)]
  put(key, "attrition.n_paired", length(a)); put(key, "attrition.n_unpaired", length(b))
  put(key, "attrition.mean_paired", mean(a)); put(key, "attrition.mean_unpaired", mean(b))
  ss <- sum((a - mean(a))^2) + sum((b - mean(b))^2)
  put(key, "attrition.d", (mean(a) - mean(b)) / sqrt(ss / (length(a) + length(b) - 2)))
}
unpaired_of <- function(key, a, b, digits = Inf) {
  tt <- attempt(t.test(b, a))
  put(key, "unpaired.welch.t", if (is.null(tt)) NA else tt$statistic)
  put(key, "unpaired.welch.df", if (is.null(tt)) NA else tt$parameter)
  put(key, "unpaired.welch.p", if (is.null(tt)) NA else tt$p.value)
  wt <- suppressWarnings(attempt(wilcox.test(b, a, digits.rank = digits)))
  put(key, "unpaired.mann_whitney.w", if (is.null(wt)) NA else wt$statistic)
  put(key, "unpaired.mann_whitney.p", if (is.null(wt)) NA else wt$p.value)
}
counts_of <- function(key, phase, x, levels) {
  for (v in levels) put(key, paste0(phase, ".counts.", v), sum(x == v))
}
pair_rows <- function(D) D[match(paired_ids, D$participant), ]

for (key in c("l1", "l2", "l3", "k1", "y1")) {
  s <- paste0("s_", key)
  summary_of(key, "pre", P[[s]]); summary_of(key, "post", Q[[s]])
  paired_of(key, pair_rows(P)[[s]], pair_rows(Q)[[s]])
  unpaired_of(key, P[[s]], Q[[s]])
  attrition_of(key, s)
  levels <- switch(key, k1 = c("a", "b", "c"), y1 = 0:1, 1:5)
  counts_of(key, "pre", P[[key]], levels); counts_of(key, "post", Q[[key]], levels)
  if (key %in% c("k1", "y1")) {
    tab <- table(factor(pair_rows(P)[[s]], levels = 0:1), factor(pair_rows(Q)[[s]], levels = 0:1))
    mt <- mcnemar.test(tab)
    put(key, "mcnemar.b", tab["0", "1"]); put(key, "mcnemar.c", tab["1", "0"])
    put(key, "mcnemar.statistic", mt$statistic); put(key, "mcnemar.p", mt$p.value)
  }
}
# The retrospective item: every POST answer gives "before" and "now"; pairs
# are the POST answers of pupils who answered POST once.
summary_of("r1", "pre", Q$r1_before); summary_of("r1", "post", Q$r1_now)
R1 <- Q[Q$participant %in% single_post, ]
R1 <- R1[order(R1$participant), ]
paired_of("r1", R1$r1_before, R1$r1_now)
counts_of("r1", "pre", Q$r1_before, 1:5); counts_of("r1", "post", Q$r1_now, 1:5)
# Its response shift: for each paired pupil, "before" (given at the end)
# minus their PRE answer to l3, which r1 repeats.
paired_of("r1", pair_rows(P)$s_l3, pair_rows(Q)$r1_before, family = NA, prefix = "response_shift.paired")
# The scale: 3-item means, ranked as their 7 significant digits (see
# testdata/stats/make_fixtures.R). Scales are a Holm family of their own.
summary_of("ouverture", "pre", P$s_sc); summary_of("ouverture", "post", Q$s_sc)
paired_of("ouverture", pair_rows(P)$s_sc, pair_rows(Q)$s_sc, digits = 7, family = "scales")
unpaired_of("ouverture", P$s_sc, Q$s_sc, digits = 7)
attrition_of("ouverture", "s_sc")
items <- as.matrix(P[, c("s_l1", "s_l2", "s_l3")])
put("ouverture", "alpha_pre", 3 / 2 * (1 - sum(apply(items, 2, var)) / var(rowSums(items))))
# Holm across the items, in the questionnaire's order.
ht <- p.adjust(pvals$t, "holm"); hw <- p.adjust(pvals$w, "holm")
for (key in names(ht)) {
  put(key, "paired.t.p_holm", ht[[key]]); put(key, "paired.wilcoxon.p_holm", hw[[key]])
}
hs <- p.adjust(pvals$scales, "holm")
for (key in names(hs)) put(key, "paired.t.p_holm", hs[[key]])
write.csv(out, "expected.csv", row.names = FALSE, quote = FALSE)
