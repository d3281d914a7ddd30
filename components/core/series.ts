// A univariate time series read from the two-column CSV files in data/,
// plus z-scoring helpers. Pure TypeScript: no DOM, no dependencies.

export interface Series {
  name: string;
  /** Header of the first column, e.g. "year" or "month". */
  timeLabel: string;
  /** Header of the second column, e.g. "flow". */
  valueLabel: string;
  /** Numeric times: a year as itself, a month "YYYY-MM" as year + (month - 1) / 12. */
  times: number[];
  /** The time column exactly as written in the file (trimmed). */
  labels: string[];
  values: number[];
}

// Plain decimal or scientific notation only. Number() alone would accept "", "0x1F"
// and "Infinity", which should all be treated as bad data here.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const YEAR_MONTH = /^(\d{4})-(\d{2})$/;

function parseNumber(text: string): number | undefined {
  return DECIMAL.test(text) ? Number(text) : undefined;
}

function parseTime(text: string): number | undefined {
  const month = YEAR_MONTH.exec(text);
  if (month) {
    const m = Number(month[2]);
    if (m < 1 || m > 12) return undefined;
    return Number(month[1]) + (m - 1) / 12;
  }
  return parseNumber(text);
}

function fieldCount(n: number): string {
  return n === 1 ? "1 field" : `${n} fields`;
}

/**
 * Parses a CSV with a header row and two columns: time, then value.
 * Times may be years ("1871"), months ("1949-03") or any decimal number, and must
 * strictly increase. Fields are separated by "," and are not quoted. Accepts
 * "\n" or "\r\n" line endings, trailing blank lines and a leading byte-order mark.
 * Line numbers in error messages count the header as line 1.
 * `name` defaults to the header of the value column.
 */
export function parseSeriesCsv(text: string, name?: string): Series {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  if (lines.length === 0) {
    throw new Error("The CSV is empty: expected a header row such as \"year,value\".");
  }

  const header = lines[0]!.split(",").map((s) => s.trim());
  if (header.length !== 2 || header[0] === "" || header[1] === "") {
    throw new Error(
      `Line 1 (header) must name exactly two columns, time then value, ` +
        `but it reads "${lines[0]}".`,
    );
  }
  const [timeLabel, valueLabel] = header as [string, string];
  if (lines.length === 1) {
    throw new Error("The CSV has a header but no data rows.");
  }

  const times: number[] = [];
  const labels: string[] = [];
  const values: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const fields = lines[i]!.split(",").map((s) => s.trim());
    if (fields.length !== 2) {
      throw new Error(
        `Line ${lineNo} has ${fieldCount(fields.length)}, expected 2 ` +
          `(${timeLabel},${valueLabel}): "${lines[i]}".`,
      );
    }
    const [label, valueText] = fields as [string, string];
    const time = parseTime(label);
    if (time === undefined) {
      throw new Error(
        `Line ${lineNo}: the ${timeLabel} "${label}" is not a number or a YYYY-MM month.`,
      );
    }
    const value = parseNumber(valueText);
    if (value === undefined) {
      const what = valueText === "" ? "is missing" : `"${valueText}" is not a number`;
      throw new Error(`Line ${lineNo}: the ${valueLabel} ${what}.`);
    }
    const previous = times[times.length - 1];
    if (previous !== undefined && !(time > previous)) {
      throw new Error(
        `Line ${lineNo}: ${timeLabel} ${label} does not come after ` +
          `${labels[labels.length - 1]} on line ${lineNo - 1}; times must increase.`,
      );
    }
    times.push(time);
    labels.push(label);
    values.push(value);
  }

  return { name: name ?? valueLabel, timeLabel, valueLabel, times, labels, values };
}

/**
 * Rescales values to mean 0 and standard deviation 1.
 * Convention: `sd` is the sample standard deviation, dividing the sum of squared
 * deviations by n - 1 (as R's sd() does), so at least two values are needed.
 * Throws if the values are all equal, since they cannot then be rescaled.
 */
export function standardize(values: number[]): { z: number[]; mean: number; sd: number } {
  const n = values.length;
  if (n < 2) {
    throw new Error(`standardize needs at least 2 values, got ${n}.`);
  }
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const sd = Math.sqrt(squares / (n - 1));
  if (!(sd > 0)) {
    throw new Error("standardize cannot rescale values that are all equal (sd = 0).");
  }
  return { z: values.map((v) => (v - mean) / sd), mean, sd };
}

/** Inverse of standardize: maps z-scores back to the original units. */
export function unstandardize(z: number[], mean: number, sd: number): number[] {
  return z.map((v) => v * sd + mean);
}
