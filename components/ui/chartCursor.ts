// The time cursor as the time-series charts draw it: a vertical rule with a dot on each
// series, under a transparent overlay that turns hovering and dragging into SVG x positions
// (followPointer, which the heatmap uses for its cells too). Arrow keys on the chart's body
// step a shared TimeCursor.
import * as d3 from "d3";
import type { PlotBox } from "./chartPlot.js";
import { pointerX, setAttrs, svg } from "./chartParts.js";
import type { TimeCursor } from "./timeCursor.js";

/** A dot on the rule: its SVG y and its series' colour. */
export interface CursorDot {
  y: number;
  color: string;
}

export interface CursorLayer {
  /** The rule, the dots and the overlay, in drawing order: append them last so the overlay gets the pointer. */
  nodes: [SVGLineElement, SVGGElement, SVGRectElement];
  /** Fits the rule and the overlay to the plot box. */
  place(box: PlotBox): void;
  /** Draws the rule at SVG x `px` with the given dots, or hides both when `px` is null. */
  show(px: number | null, dots: CursorDot[]): void;
  /** Calls `onX` with the SVG x under the pointer as it moves over the plot, and with `drag` (default) also on a press, capturing the pointer. */
  onPointerX(onX: (x: number) => void, options?: { drag?: boolean }): void;
  overlay: SVGRectElement;
}

export function cursorLayer(): CursorLayer {
  const rule = svg("line", { class: "chart-rule" });
  const dots = svg("g");
  const overlay = svg("rect", { class: "chart-overlay" });
  return {
    nodes: [rule, dots, overlay],
    overlay,
    place(box) {
      setAttrs(overlay, { x: box.left, y: box.top, width: box.width, height: box.height });
      setAttrs(rule, { y1: box.top, y2: box.top + box.height });
    },
    show(px, points) {
      rule.style.display = px === null ? "none" : "";
      if (px !== null) setAttrs(rule, { x1: px, x2: px });
      d3.select(dots)
        .selectAll("circle")
        .data(px === null ? [] : points)
        .join("circle")
        .attr("class", "chart-dot")
        .attr("r", 3.5)
        .attr("cx", px ?? 0)
        .attr("cy", (d) => d.y)
        .attr("fill", (d) => d.color);
    },
    onPointerX(onX, options) {
      // The overlay's x attribute is the plot's left edge, set by place().
      followPointer(overlay, (event) => onX(pointerX(event, overlay, Number(overlay.getAttribute("x")))), options);
    },
  };
}

/** Calls `handle` as the pointer moves over `target`, and with `drag` (default) also on a press, capturing the pointer so that dragging scrubs. */
export function followPointer(target: SVGElement, handle: (event: PointerEvent) => void, { drag = true }: { drag?: boolean } = {}): void {
  target.addEventListener("pointermove", handle);
  if (!drag) return;
  target.addEventListener("pointerdown", (event) => {
    target.setPointerCapture(event.pointerId);
    handle(event);
  });
}

/** The left and right arrow keys on `body` step `cursor` back and forward. */
export function stepWithArrowKeys(body: HTMLElement, cursor: TimeCursor): void {
  body.addEventListener("keydown", (event) => {
    if (event.key === "ArrowLeft") cursor.set(cursor.value - 1);
    else if (event.key === "ArrowRight") cursor.set(cursor.value + 1);
    else return;
    event.preventDefault();
  });
}
