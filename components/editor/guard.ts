// Stops runaway code in an editable cell. The compiler puts `__guard(line)` at the top of every
// loop body. The guard throws when the reader pressed Stop (for loops that await, the Stop button
// stays clickable), or when the code has held the main thread for `budgetMs` without yielding
// (a synchronous loop: the page cannot even paint the Stop button, so the guard decides).
export class RunStopped extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Stopped";
  }
}

export interface Guard {
  check(line: number): void;
  stop(): void;
  dispose(): void;
}

export function createGuard(budgetMs = 3000): Guard {
  let stopped = false;
  let lastBreath = performance.now();
  // This timer only fires when the code yields, so its silence means the thread is held.
  const breathe = setInterval(() => (lastBreath = performance.now()), 50);
  return {
    check(line: number) {
      if (stopped) throw new RunStopped(`Stopped by the reader in the loop on line ${line}`);
      const held = performance.now() - lastBreath;
      if (held > budgetMs) {
        stopped = true;
        throw new RunStopped(`Stopped: the loop on line ${line} ran for ${(held / 1000).toFixed(1)} s without letting the page respond. Make it end sooner, or put an \`await\` in it (for example \`await new Promise(requestAnimationFrame)\`).`);
      }
    },
    stop() {
      stopped = true;
    },
    dispose() {
      clearInterval(breathe);
    },
  };
}
