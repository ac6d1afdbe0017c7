# Reference figures for Déclic's logframe indicators (surveys/indicator_value.go),
# made with GNU R 4.2 (Debian 12 r-base-core 4.2.2) and its defaults.
#
#   cd testdata/indicators && Rscript make_fixtures.R
#
# Writes, next to this script:
#   pairs.csv     case,pre,post      one row per paired pupil (Likert 1-5 scores)
#   extra.csv     case,post          POST answers of pupils who answered only after
#   values.csv    case,measure,threshold,x,n,value,lo,hi
#                   share_improved  prop.test(sum(post > pre), n, correct = FALSE)
#                   share_at_least  prop.test(sum(all_post >= threshold), n, correct = FALSE)
#                   mean_change     t.test(post, pre, paired = TRUE)
#   compare.csv   first,second,measure,threshold,diff,lo,hi,p
#                   shares: prop.test(c(x2, x1), c(n2, n1), correct = FALSE)
#                   mean_change: t.test(d2, d1) (Welch) of the paired differences
# NA marks what R leaves undefined (NA, NaN or an error).

set.seed(20261129)

num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

nudge <- function(pre, up = 0.4, down = 0.15) {
  u <- runif(length(pre))
  pmin(5, pmax(1, pre + ifelse(u < up, 1, ifelse(u < up + down, -1, 0))))
}

cases <- list()
add <- function(name, pre, post, extra = numeric(0)) {
  cases[[name]] <<- list(pre = pre, post = post, extra = extra)
}

p <- sample(1:5, 30, TRUE); add("likert_n30", p, nudge(p), sample(1:5, 6, TRUE))
p <- sample(1:5, 8, TRUE); add("likert_n8", p, nudge(p, .5, .2))
p <- sample(1:5, 120, TRUE, c(.15, .25, .3, .2, .1)); add("likert_n120", p, nudge(p, .3, .2), sample(1:5, 25, TRUE))
p <- c(1, 2, 2, 3, 3, 4); add("all_improved", p, p + 1)
p <- c(2, 3, 4, 4, 5, 1, 3); add("none_moved", p, p, c(5, 5))
p <- c(2, 3, 4); add("n3", p, c(3, 3, 5))
p <- sample(1:5, 45, TRUE); add("likert_n45_down", p, nudge(p, .1, .4), sample(1:5, 4, TRUE))

pairs <- do.call(rbind, lapply(names(cases), function(n)
  data.frame(case = n, pre = cases[[n]]$pre, post = cases[[n]]$post)))
write.csv(pairs, "pairs.csv", row.names = FALSE, quote = FALSE)
extra <- do.call(rbind, lapply(names(cases), function(n)
  if (length(cases[[n]]$extra)) data.frame(case = n, post = cases[[n]]$extra)))
write.csv(extra, "extra.csv", row.names = FALSE, quote = FALSE)

share <- function(x, n) {
  if (n == 0) return(c(NA, NA, NA))
  ci <- suppressWarnings(prop.test(x, n, correct = FALSE))$conf.int
  c(x / n, ci[1], ci[2])
}
meanChange <- function(pre, post) {
  r <- tryCatch(t.test(post, pre, paired = TRUE), error = function(e) NULL)
  if (is.null(r)) return(c(mean(post - pre), NA, NA))
  c(unname(r$estimate), r$conf.int[1], r$conf.int[2])
}

threshold <- 4
counts <- function(cs, measure) {
  if (measure == "share_improved") return(c(sum(cs$post > cs$pre), length(cs$pre)))
  all <- c(cs$post, cs$extra)
  c(sum(all >= threshold), length(all))
}

rows <- list()
for (n in names(cases)) {
  cs <- cases[[n]]
  for (m in c("share_improved", "share_at_least")) {
    xn <- counts(cs, m)
    v <- share(xn[1], xn[2])
    rows[[length(rows) + 1]] <- c(n, m, if (m == "share_at_least") threshold else "NA", xn[1], xn[2], num(v))
  }
  v <- meanChange(cs$pre, cs$post)
  rows[[length(rows) + 1]] <- c(n, "mean_change", "NA", "NA", length(cs$pre), num(v))
}
values <- as.data.frame(do.call(rbind, rows))
names(values) <- c("case", "measure", "threshold", "x", "n", "value", "lo", "hi")
write.csv(values, "values.csv", row.names = FALSE, quote = FALSE)

# Two periods side by side: the second minus the first.
periods <- list(c("likert_n30", "likert_n120"), c("likert_n120", "likert_n45_down"),
                c("likert_n8", "likert_n30"), c("none_moved", "all_improved"))
rows <- list()
for (pr in periods) {
  a <- cases[[pr[1]]]; b <- cases[[pr[2]]]
  for (m in c("share_improved", "share_at_least")) {
    xa <- counts(a, m); xb <- counts(b, m)
    r <- suppressWarnings(prop.test(c(xb[1], xa[1]), c(xb[2], xa[2]), correct = FALSE))
    rows[[length(rows) + 1]] <- c(pr[1], pr[2], m, if (m == "share_at_least") threshold else "NA",
      num(xb[1] / xb[2] - xa[1] / xa[2]), num(r$conf.int[1]), num(r$conf.int[2]), num(r$p.value))
  }
  da <- a$post - a$pre; db <- b$post - b$pre
  r <- tryCatch(t.test(db, da), error = function(e) NULL)
  if (is.null(r)) {
    rows[[length(rows) + 1]] <- c(pr[1], pr[2], "mean_change", "NA", num(mean(db) - mean(da)), "NA", "NA", "NA")
  } else {
    rows[[length(rows) + 1]] <- c(pr[1], pr[2], "mean_change", "NA", num(mean(db) - mean(da)),
      num(r$conf.int[1]), num(r$conf.int[2]), num(r$p.value))
  }
}
cmp <- as.data.frame(do.call(rbind, rows))
names(cmp) <- c("first", "second", "measure", "threshold", "diff", "lo", "hi", "p")
write.csv(cmp, "compare.csv", row.names = FALSE, quote = FALSE)
