// The page's shared "current time step t".
//
// One TimeCursor per page. The TimeScrubber control shows and sets it; every view of
// per-time-step quantities draws its marker at `cursor.value` and sets it on hover or drag.
// Views subscribe directly, so moving the cursor updates them in place without re-running
// Framework cells (which would rebuild the view under the reader's pointer).

export interface TimeCursor extends EventTarget {
  /** The current time step, an integer in [min, max]. */
  value: number;
  min: number;
  max: number;
  /** Moves the cursor (clamped and rounded) and notifies subscribers if it changed. */
  set(t: number): void;
  /** Changes the range, keeping the cursor inside it. */
  setRange(min: number, max: number): void;
  /** Calls `listener(t)` now and on every change, until `owner` leaves the document or
   *  `invalidation` resolves. Returns an unsubscribe function. */
  subscribe(listener: (t: number) => void, options?: { owner?: Element; invalidation?: Promise<unknown> }): () => void;
}

export function createTimeCursor({ min = 0, max = 0, value = min }: { min?: number; max?: number; value?: number } = {}): TimeCursor {
  const target = new EventTarget() as TimeCursor;
  let current = clamp(Math.round(value), min, max);
  let lo = min;
  let hi = max;

  Object.defineProperties(target, {
    value: { get: () => current, set: (t: number) => target.set(t), enumerable: true },
    min: { get: () => lo, enumerable: true },
    max: { get: () => hi, enumerable: true },
  });

  target.set = (t: number) => {
    const next = clamp(Math.round(t), lo, hi);
    if (next === current || !Number.isFinite(next)) return;
    current = next;
    target.dispatchEvent(new Event("input"));
  };

  target.setRange = (newMin: number, newMax: number) => {
    lo = newMin;
    hi = Math.max(newMin, newMax);
    target.dispatchEvent(new Event("range"));
    const clamped = clamp(current, lo, hi);
    if (clamped !== current) {
      current = clamped;
      target.dispatchEvent(new Event("input"));
    }
  };

  target.subscribe = (listener, { owner, invalidation } = {}) => {
    let seenConnected = false;
    const handler = () => {
      // Stop once the owning view has been removed from the page (its cell re-ran).
      if (owner) {
        if (owner.isConnected) seenConnected = true;
        else if (seenConnected) return unsubscribe();
      }
      listener(current);
    };
    const unsubscribe = () => target.removeEventListener("input", handler);
    target.addEventListener("input", handler);
    invalidation?.then(unsubscribe);
    listener(current);
    return unsubscribe;
  };

  return target;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
