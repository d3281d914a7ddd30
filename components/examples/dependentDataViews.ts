// Views of the "Dependent data" page built from the pure helpers in dependentData.ts.
import { acf, acfBand } from "../core/acf.js";
import type { LjungBoxResult } from "../core/ljungBox.js";
import { AcfPlot } from "../ui/acfPlot.js";
import { LineChart } from "../ui/lineChart.js";
import { CoefficientTable, type CoefficientTableData } from "../ui/coefficientTable.js";
import { sideBySide } from "../ui/pageLayout.js";
import type { RealSeries } from "./dependentData.js";

/** A series and its ACF side by side (stacked when narrow), with the band, for the gallery. */
export function seriesWithAcf(s: RealSeries, { maxLag, width }: { maxLag: number; width: number }): HTMLDivElement {
  const twoColumns = width >= 760;
  const half = twoColumns ? Math.floor((width - 24) / 2) : width;
  const lags = Math.min(maxLag, s.values.length - 1);
  const r = acf(s.values, lags);
  const band = acfBand(s.values.length);
  const wrap = sideBySide(
    [
      LineChart([{ name: s.valueLabel, values: s.values, color: "#374151" }], { x: s.times, width: half, height: 220, xLabel: s.step, yLabel: s.valueLabel, timeLabel: (t) => s.labels[t] ?? String(t) }),
      AcfPlot([{ name: "$r(k)$", values: r }], { band, width: half, height: 200, xLabel: `lag $k$ (${s.step}s)`, yLabel: "autocorrelation $r(k)$" }),
    ],
    { columns: twoColumns },
  );
  wrap.classList.add("series-with-acf");
  wrap.dataset.series = s.key;
  return wrap;
}

/** The original and shuffled series compared: summary statistics and Ljung–Box tests. */
export function shuffleComparison(
  x: number[],
  xShuffled: number[],
  r: number[],
  rShuffled: number[],
  lbOriginal: LjungBoxResult,
  lbShuffled: LjungBoxResult,
): CoefficientTableData {
  const mean = (v: number[]) => v.reduce((s, a) => s + a, 0) / v.length;
  const sd = (v: number[]) => {
    const m = mean(v);
    return Math.sqrt(v.reduce((s, a) => s + (a - m) ** 2, 0) / (v.length - 1));
  };
  const band = acfBand(x.length);
  const outside = (rho: number[]) => rho.slice(1).filter((v) => Math.abs(v) > band).length;
  return {
    columns: [
      { label: "original order", withSe: false, color: "#2563eb" },
      { label: "shuffled", withSe: false, color: "#dc2626" },
    ],
    rows: [
      { label: "mean", values: [mean(x), mean(xShuffled)] },
      { label: "standard deviation (divisor $n-1$)", values: [sd(x), sd(xShuffled)] },
      { label: "$r(1)$", values: [r[1]!, rShuffled[1]!] },
      { label: `lags $1..${r.length - 1}$ with $\\lvert r(k)\\rvert$ outside $\\pm${band.toFixed(3)}$`, values: [outside(r), outside(rShuffled)] },
      { label: `Ljung–Box $Q$ over lags $1..${lbOriginal.lags}$`, values: [lbOriginal.statistic, lbShuffled.statistic] },
      { label: `p-value, $\\chi^2_{${lbOriginal.df}}$`, values: [lbOriginal.pValue, lbShuffled.pValue] },
    ],
  };
}

/** The comparison table element. */
export function ShuffleTable(data: CoefficientTableData): HTMLTableElement {
  return CoefficientTable(data, { caption: "the same values in two orders", estimateLabel: "value", testId: "shuffle-table" });
}
