# Regenerates the CSV files in this folder from R's built-in `datasets` package.
#
#   Rscript data/export-from-r.R
#
# Each file has a header row, a time column and a value column, "\n" line endings,
# and values written with as.character(), which keeps up to 15 significant digits,
# so every number reads back as exactly the double that R holds. The script reads
# each file back and stops if anything differs from the original series.
# Written and checked with R 4.2.2 (datasets 4.2.2).

args <- commandArgs(trailingOnly = FALSE)
script_arg <- sub("^--file=", "", args[grepl("^--file=", args)])
out_dir <- if (length(script_arg) == 1) dirname(normalizePath(script_arg)) else "data"

annual_labels <- function(x) {
  stopifnot(frequency(x) == 1)
  as.character(as.integer(round(time(x))))
}

monthly_labels <- function(x) {
  stopifnot(frequency(x) == 12)
  year <- as.integer(floor(round(time(x), 6)))
  sprintf("%04d-%02d", year, as.integer(cycle(x)))
}

export_series <- function(x, file, time_col, value_col, labels) {
  values <- as.numeric(x)
  stopifnot(!anyNA(values), length(labels) == length(values))
  lines <- c(paste(time_col, value_col, sep = ","),
             paste(labels, as.character(values), sep = ","))
  path <- file.path(out_dir, file)
  con <- file(path, open = "wb", encoding = "UTF-8")
  writeLines(lines, con, sep = "\n")
  close(con)

  back <- utils::read.csv(path, colClasses = c("character", "numeric"))
  stopifnot(identical(names(back), c(time_col, value_col)),
            identical(back[[1]], labels),
            identical(back[[2]], values))
  cat(sprintf("%-24s %4d rows  %s .. %s\n", file, length(values),
              labels[1], labels[length(labels)]))
}

export_series(datasets::sunspot.year, "sunspots-annual.csv", "year", "sunspots",
              annual_labels(datasets::sunspot.year))
export_series(datasets::Nile, "nile.csv", "year", "flow",
              annual_labels(datasets::Nile))
export_series(datasets::lynx, "lynx.csv", "year", "trappings",
              annual_labels(datasets::lynx))
export_series(datasets::AirPassengers, "air-passengers.csv", "month", "passengers",
              monthly_labels(datasets::AirPassengers))
export_series(datasets::co2, "co2-mauna-loa.csv", "month", "ppm",
              monthly_labels(datasets::co2))
