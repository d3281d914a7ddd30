// Downloads for every chart (SVG and PNG) and every table (CSV) on a page.
//
// A chart here is any element with class "chart": SVG axes and marks, canvas cells, HTML
// readouts and TeX labels. The SVG export draws all of them into one standalone SVG: SVG parts
// are copied with their computed styles inlined, canvases become embedded images, HTML text and
// TeX labels become plain SVG text (TeX written as its source). Without foreignObject, the
// PNG export can draw that SVG into a canvas without tainting it.
import { downloadBlob, downloadText, toCsv } from "./download.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const STYLE_PROPERTIES = ["fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray", "opacity", "font-family", "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline", "visibility", "display"];

/** The text a reader sees in an element, with TeX replaced by its source. */
function plainText(element: Element): string {
  const clone = element.cloneNode(true) as Element;
  for (const katex of Array.from(clone.querySelectorAll(".katex"))) {
    const tex = katex.querySelector('annotation[encoding="application/x-tex"]')?.textContent;
    katex.replaceWith(tex ? `$${tex}$` : katex.textContent ?? "");
  }
  return (clone.textContent ?? "").replace(/\s+/g, " ").trim();
}

function inlineStyles(source: Element, target: Element): void {
  const style = getComputedStyle(source);
  const declarations = STYLE_PROPERTIES.map((p) => `${p}:${style.getPropertyValue(p)}`).join(";");
  target.setAttribute("style", declarations);
  const sourceChildren = source.children;
  const targetChildren = target.children;
  for (let i = 0; i < sourceChildren.length && i < targetChildren.length; i++) inlineStyles(sourceChildren[i], targetChildren[i]);
}

function textElement(text: string, x: number, y: number, style: CSSStyleDeclaration, anchor = "start"): SVGTextElement {
  const node = document.createElementNS(SVG_NS, "text");
  node.setAttribute("x", x.toFixed(1));
  node.setAttribute("y", y.toFixed(1));
  node.setAttribute("text-anchor", anchor);
  node.setAttribute("dominant-baseline", "middle");
  node.setAttribute("font-family", style.fontFamily || "sans-serif");
  node.setAttribute("font-size", style.fontSize || "12px");
  node.setAttribute("fill", style.color || "#000");
  node.textContent = text;
  return node;
}

/** A standalone SVG document of the chart as it is on screen. */
export function chartToSvg(chart: HTMLElement): string {
  const box = chart.getBoundingClientRect();
  const out = document.createElementNS(SVG_NS, "svg");
  out.setAttribute("xmlns", SVG_NS);
  out.setAttribute("width", String(Math.ceil(box.width)));
  out.setAttribute("height", String(Math.ceil(box.height)));
  out.setAttribute("viewBox", `0 0 ${Math.ceil(box.width)} ${Math.ceil(box.height)}`);
  const background = document.createElementNS(SVG_NS, "rect");
  for (const [k, v] of Object.entries({ width: "100%", height: "100%", fill: getComputedStyle(document.body).backgroundColor || "#fff" })) background.setAttribute(k, v);
  out.append(background);

  for (const canvas of Array.from(chart.querySelectorAll("canvas"))) {
    const r = canvas.getBoundingClientRect();
    const image = document.createElementNS(SVG_NS, "image");
    for (const [k, v] of Object.entries({ x: r.left - box.left, y: r.top - box.top, width: r.width, height: r.height })) image.setAttribute(k, String(v));
    image.setAttribute("href", canvas.toDataURL("image/png"));
    image.setAttribute("preserveAspectRatio", "none");
    out.append(image);
  }

  for (const svg of Array.from(chart.querySelectorAll("svg"))) {
    if (svg.closest(".katex")) continue;
    const r = svg.getBoundingClientRect();
    const clone = svg.cloneNode(true) as SVGSVGElement;
    inlineStyles(svg, clone);
    // TeX and HTML labels inside foreignObject become plain text at the same place.
    const originals = Array.from(svg.querySelectorAll("foreignObject"));
    Array.from(clone.querySelectorAll("foreignObject")).forEach((fo, i) => {
      const original = originals[i];
      const inner = original?.firstElementChild as HTMLElement | null;
      const ob = (inner ?? original)?.getBoundingClientRect();
      if (!original || !ob || ob.width === 0) return fo.remove();
      const text = textElement(plainText(original), ob.left - r.left + ob.width / 2, ob.top - r.top + ob.height / 2, getComputedStyle(inner ?? original), "middle");
      const rotation = /rotate\(([-\d.]+)/.exec(fo.getAttribute("transform") ?? "")?.[1];
      if (rotation) text.setAttribute("transform", `rotate(${rotation} ${text.getAttribute("x")} ${text.getAttribute("y")})`);
      fo.replaceWith(text);
    });
    const group = document.createElementNS(SVG_NS, "g");
    group.setAttribute("transform", `translate(${(r.left - box.left).toFixed(1)},${(r.top - box.top).toFixed(1)})`);
    clone.setAttribute("width", String(r.width));
    clone.setAttribute("height", String(r.height));
    clone.removeAttribute("style");
    group.append(clone);
    out.append(group);
  }

  // Readouts, legends and titles written in HTML.
  for (const block of Array.from(chart.querySelectorAll<HTMLElement>(".chart-readout, .chart-title, .chart-legend, .heatmap-legend-title"))) {
    if (block.closest("svg")) continue;
    const r = block.getBoundingClientRect();
    if (r.width === 0) continue;
    out.append(textElement(plainText(block), r.left - box.left, r.top - box.top + r.height / 2, getComputedStyle(block)));
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(out)}`;
}

/** The chart as a PNG at twice its on-screen size. */
export async function chartToPng(chart: HTMLElement, scale = 2): Promise<Blob> {
  const svg = chartToSvg(chart);
  const box = chart.getBoundingClientRect();
  const image = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error("the chart could not be drawn as an image"));
      image.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(box.width * scale);
    canvas.height = Math.ceil(box.height * scale);
    const context = canvas.getContext("2d")!;
    context.scale(scale, scale);
    context.drawImage(image, 0, 0);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("PNG encoding failed"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A table's cells as CSV, TeX labels written as their source. */
export function tableToCsv(table: HTMLTableElement): string {
  const rows = Array.from(table.rows).map((row) => Array.from(row.cells).map((cell) => plainText(cell)));
  const width = Math.max(0, ...rows.map((r) => r.length));
  const padded = rows.map((r) => [...r, ...new Array(width - r.length).fill("")]);
  return toCsv(padded[0] ?? [], padded.slice(1));
}

function fileStem(element: Element, fallback: string): string {
  const named = element.closest("[data-export-name]")?.getAttribute("data-export-name");
  const heading = named ?? element.getAttribute("aria-label") ?? fallback;
  return heading.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || fallback;
}

function menuButton(text: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  b.title = title;
  b.addEventListener("click", onClick);
  return b;
}

/** Puts a small download menu before every chart and value table below `root` that lacks one. */
export function attachExportMenus(root: ParentNode = document): void {
  const page = location.pathname.split("/").pop() || "index";
  let count = 0;
  for (const chart of Array.from(root.querySelectorAll<HTMLElement>(".chart"))) {
    count += 1;
    if (chart.dataset.exportMenu) continue;
    chart.dataset.exportMenu = "1";
    const stem = `${page}-${fileStem(chart, `chart-${count}`)}`;
    const menu = document.createElement("div");
    menu.className = "export-menu";
    menu.append(
      "download ",
      menuButton("SVG", "Download this chart as SVG", () => downloadText(`${stem}.svg`, chartToSvg(chart), "image/svg+xml")),
      menuButton("PNG", "Download this chart as PNG", () => void chartToPng(chart).then((blob) => downloadBlob(`${stem}.png`, blob))),
    );
    chart.before(menu);
  }
  for (const table of Array.from(root.querySelectorAll<HTMLTableElement>("table.value-table, table.parameter-counts"))) {
    if (table.dataset.exportMenu) continue;
    table.dataset.exportMenu = "1";
    const stem = `${page}-${fileStem(table, "table")}`;
    const menu = document.createElement("div");
    menu.className = "export-menu";
    menu.append("download ", menuButton("CSV", "Download this table as CSV", () => downloadText(`${stem}.csv`, tableToCsv(table), "text/csv")));
    table.before(menu);
  }
}

/** Keeps every chart and table on the page downloadable as cells render and re-render. */
export function watchForExportables(): void {
  let scheduled = false;
  const run = () => {
    scheduled = false;
    attachExportMenus();
    for (const menu of Array.from(document.querySelectorAll(".export-menu"))) {
      if (!menu.nextElementSibling?.hasAttribute("data-export-menu")) menu.remove();
    }
  };
  new MutationObserver(() => {
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(run);
    }
  }).observe(document.body, { childList: true, subtree: true });
  run();
}
