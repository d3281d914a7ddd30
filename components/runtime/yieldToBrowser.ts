// Long computations on the main thread (training loops) await this between slices.

/**
 * Lets the browser handle input and paint before the next slice of training. A message on a
 * MessageChannel runs as a new task without setTimeout's 4 ms clamp.
 */
// Outside a page (Node runs the same training code) a timer does; an open port would keep Node alive.
const yieldChannel = typeof window === "undefined" || typeof MessageChannel === "undefined" ? null : new MessageChannel();
const pendingYields: (() => void)[] = [];
if (yieldChannel) yieldChannel.port1.onmessage = () => pendingYields.shift()?.();
export function yieldToBrowser(): Promise<void> {
  return new Promise((resolve) => {
    if (!yieldChannel) return void setTimeout(resolve, 0);
    pendingYields.push(resolve);
    yieldChannel.port2.postMessage(null);
  });
}
