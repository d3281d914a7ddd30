// The training harness every live example uses.
//
// Controls: start, pause, single step, reset, seed, learning rate.
// Live display: step count, loss, steps per second, tensors held, and a loss curve.
// Training runs on the main thread in time slices (at most `frameBudgetMs` of steps, then the
// browser gets a frame), so the page stays responsive. When the cell re-runs (`invalidation`),
// the reader leaves the page, or the backend changes, the harness stops and frees every tensor.
import { tf, ready, onRuntimeChange, runtimeState, reportBackendFailure, type BackendName } from "../runtime/backend.js";
import { LossCurve } from "./lossCurve.js";
import { copyPageLink, numberParam, setUrlParam, urlParam } from "../runtime/urlState.js";
import { downloadText, readFileText } from "./download.js";
import { formatNumber } from "./format.js";
import { yieldToBrowser } from "../runtime/yieldToBrowser.js";

export interface TrainingTask<Model, Inspection> {
  /** Builds a fresh model (and its data order) from the seed, on the current backend. */
  create(seed: number): Promise<Model> | Model;
  /** One optimisation step at this learning rate; resolves to the loss before the update. */
  step(model: Model, learningRate: number): Promise<number>;
  /** Reads the quantities the page displays (every h(t), ŷ(t), …). Called at most every `inspectEveryMs`. */
  inspect?(model: Model): Promise<Inspection>;
  /** Frees every tensor the model holds. */
  dispose(model: Model): void;
  /** The trained weights as plain JSON data, for download. */
  exportWeights?(model: Model): Promise<unknown>;
  /** Loads weights saved by exportWeights into the model; throws a reader-facing Error if they do not fit. */
  importWeights?(model: Model, data: unknown): Promise<void>;
}

export interface HarnessOptions {
  seed?: number;
  learningRate?: number;
  /** Log-scale range of the learning-rate control. */
  learningRateRange?: [number, number];
  /** Stop by itself after this many steps (undefined: run until paused). */
  maxSteps?: number;
  frameBudgetMs?: number;
  inspectEveryMs?: number;
  width?: number;
  title?: string;
  /** Query-string keys that keep the seed and learning rate in the URL; null to not. */
  urlKeys?: { seed: string; learningRate: string } | null;
  /** File name (without extension) for downloaded weights. */
  weightsName?: string;
  invalidation?: Promise<unknown>;
}

export interface HarnessValue<Inspection> {
  step: number;
  loss: number | null;
  running: boolean;
  seed: number;
  learningRate: number;
  backend: BackendName | null;
  inspection: Inspection | null;
}

export interface HarnessElement<Inspection> extends HTMLElement {
  value: HarnessValue<Inspection>;
  /** Resolves once the current run has stopped and its tensors are freed (for tests). */
  stop(): Promise<void>;
  start(): void;
  reset(): Promise<void>;
  stepOnce(): Promise<void>;
}

export function TrainingHarness<Model, Inspection>(task: TrainingTask<Model, Inspection>, options: HarnessOptions = {}): HarnessElement<Inspection> {
  const { learningRateRange = [1e-4, 1], frameBudgetMs = 12, inspectEveryMs = 400, width = 640, maxSteps, invalidation, urlKeys = { seed: "seed", learningRate: "lr" }, weightsName = "weights" } = options;
  const root = document.createElement("div") as unknown as HarnessElement<Inspection>;
  root.className = "training-harness";

  // ---- state ----
  // The URL's seed and learning rate, when valid, override the page's defaults.
  const urlSeed = urlKeys ? numberParam.parse(urlParam(urlKeys.seed) ?? "") : undefined;
  const urlRate = urlKeys ? numberParam.parse(urlParam(urlKeys.learningRate) ?? "") : undefined;
  let seed = urlSeed !== undefined && Number.isInteger(urlSeed) && urlSeed >= 0 ? urlSeed : options.seed ?? 1;
  let learningRate = urlRate !== undefined && urlRate > 0 ? Math.min(Math.max(urlRate, learningRateRange[0]), learningRateRange[1]) : options.learningRate ?? 0.01;
  let model: Model | null = null;
  let modelBackend: BackendName | null = null;
  let step = 0;
  let loss: number | null = null;
  let running = false;
  let destroyed = false;
  let inspection: Inspection | null = null;
  let lastInspect = 0;
  let busy: Promise<void> = Promise.resolve(); // serialises steps, resets and disposal
  const speed = { steps: 0, since: performance.now(), perSecond: 0 };

  // ---- controls ----
  const controls = el("div", "harness-controls");
  const startButton = button("start", "▶ Start", "Train continuously");
  const pauseButton = button("pause", "❚❚ Pause", "Pause training");
  const stepButton = button("step", "Step", "Take one training step");
  const resetButton = button("reset", "↺ Reset", "Re-initialise the model from the seed");
  const seedInput = document.createElement("input");
  Object.assign(seedInput, { type: "number", name: "seed", min: "0", step: "1", value: String(seed) });
  seedInput.setAttribute("aria-label", "seed");
  const [lrLow, lrHigh] = learningRateRange.map(Math.log10);
  const lrInput = document.createElement("input");
  Object.assign(lrInput, { type: "range", name: "learningRate", min: String(lrLow), max: String(lrHigh), step: "0.05", value: String(Math.log10(learningRate)) });
  lrInput.setAttribute("aria-label", "learning rate (log10)");
  const lrReadout = el("output", "harness-lr");
  controls.append(
    startButton, pauseButton, stepButton, resetButton,
    labelled("seed", seedInput),
    labelled("learning rate", lrInput, lrReadout),
  );
  const extras = el("div", "harness-controls harness-extras");
  const linkButton = button("copyLink", "Copy link", "Copy a link to this page with the current settings (seed, learning rate, inputs, backend, time step)");
  extras.append(linkButton);
  const saveButton = button("saveWeights", "⬇ Weights (JSON)", "Download the trained weights as JSON");
  const loadButton = button("loadWeights", "⬆ Load weights", "Load weights saved from this example");
  const loadInput = Object.assign(document.createElement("input"), { type: "file", accept: ".json,application/json", hidden: true });
  loadInput.setAttribute("aria-label", "weights file");
  if (task.exportWeights && task.importWeights) extras.append(saveButton, loadButton, loadInput);

  // ---- live display ----
  const stats = el("div", "harness-stats");
  const field = (name: string, label: string) => {
    const item = el("span", "harness-stat");
    const value = el("strong", "");
    value.dataset.field = name;
    item.append(`${label} `, value);
    stats.append(item);
    return value;
  };
  const stepField = field("step", "step");
  const lossField = field("loss", "loss");
  const speedField = field("speed", "steps/s");
  const backendField = field("backend", "backend");
  const tensorsField = field("tensors", "tensors held");
  const message = el("div", "harness-message");
  message.setAttribute("role", "status");
  const curve = LossCurve({ width, height: 160, yLabel: "training loss", logScale: true });
  if (options.title) root.append(Object.assign(el("div", "harness-title"), { textContent: options.title }));
  root.append(controls, extras, stats, curve, message);

  const render = () => {
    startButton.disabled = running || destroyed;
    pauseButton.disabled = !running;
    stepButton.disabled = running || destroyed;
    lrReadout.textContent = formatNumber(learningRate, 3);
    stepField.textContent = String(step);
    lossField.textContent = loss === null ? "–" : formatNumber(loss, 5);
    speedField.textContent = running ? speed.perSecond.toFixed(1) : "–";
    backendField.textContent = modelBackend ?? "starting";
    // Ask the engine only once a backend has started: before that, tf.memory() would try to
    // start the highest-priority backend itself and throw while it initialises.
    tensorsField.textContent = modelBackend === null ? "–" : String(tf.memory().numTensors);
    root.dataset.running = String(running);
  };
  const notify = () => {
    render();
    root.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const say = (text: string, isError = false) => {
    message.textContent = text;
    message.classList.toggle("harness-error", isError);
  };

  // ---- model lifecycle ----
  const freeModel = () => {
    if (model !== null) task.dispose(model);
    model = null;
  };
  const buildModel = async () => {
    freeModel();
    modelBackend = await ready();
    model = await task.create(seed);
    step = 0;
    loss = null;
    curve.clear();
    await refreshInspection(true);
  };
  /** Reads the model's intermediates if they are due; says whether it did. */
  const refreshInspection = async (force = false): Promise<boolean> => {
    if (!task.inspect || model === null) return false;
    const now = performance.now();
    if (!force && now - lastInspect < inspectEveryMs) return false;
    lastInspect = now;
    inspection = await task.inspect(model);
    return true;
  };
  const serial = (job: () => Promise<void>): Promise<void> => {
    const next = busy.then(job, job);
    busy = next.catch(() => undefined);
    return next;
  };

  /** One step, with fallback to the next backend if this one fails while running. */
  const trainOnce = async () => {
    if (model === null) await buildModel();
    try {
      const value = await task.step(model!, learningRate);
      step += 1;
      loss = value;
      curve.push(step, value);
      speed.steps += 1;
      if (!Number.isFinite(value)) {
        running = false;
        say(`The loss became ${value} at step ${step}: training diverged. Lower the learning rate and press Reset.`, true);
      }
      if (maxSteps !== undefined && step >= maxSteps) running = false;
    } catch (error) {
      running = false;
      const failed = modelBackend;
      say(`Training failed on ${failed}: ${error instanceof Error ? error.message : String(error)}. Switching backend and restarting.`, true);
      if (failed) await reportBackendFailure(failed, error);
      await buildModel();
    }
  };

  const loop = async () => {
    let lastPaint = 0;
    while (running && !destroyed) {
      const sliceStart = performance.now();
      let inspected = false;
      await serial(async () => {
        do await trainOnce();
        while (running && !destroyed && performance.now() - sliceStart < frameBudgetMs);
        inspected = await refreshInspection();
      });
      const now = performance.now();
      if (now - speed.since > 500) {
        speed.perSecond = (speed.steps * 1000) / (now - speed.since);
        speed.steps = 0;
        speed.since = now;
      }
      // Dependent cells re-run only when there is something new to show; the counters
      // repaint at most once per frame.
      if (inspected) notify();
      else if (now - lastPaint > 16) render();
      lastPaint = now;
      await yieldToBrowser();
    }
    notify();
  };

  root.start = () => {
    if (running || destroyed) return;
    running = true;
    speed.steps = 0;
    speed.since = performance.now();
    say("");
    void loop();
    render();
  };
  root.stop = async () => {
    running = false;
    await busy;
    render();
  };
  root.stepOnce = () =>
    serial(async () => {
      if (running || destroyed) return;
      await trainOnce();
      await refreshInspection(true);
      notify();
    });
  root.reset = async () => {
    running = false;
    await serial(async () => {
      if (destroyed) return;
      say("");
      await buildModel();
      notify();
    });
  };

  startButton.addEventListener("click", () => root.start());
  pauseButton.addEventListener("click", () => void root.stop());
  stepButton.addEventListener("click", () => void root.stepOnce());
  resetButton.addEventListener("click", () => void root.reset());
  seedInput.addEventListener("change", () => {
    const value = Number(seedInput.value);
    if (!Number.isInteger(value) || value < 0) {
      say(`The seed must be a whole number ≥ 0; keeping ${seed}.`, true);
      seedInput.value = String(seed);
      return;
    }
    seed = value;
    if (urlKeys) setUrlParam(urlKeys.seed, String(seed));
    void root.reset();
  });
  lrInput.addEventListener("input", (event) => {
    event.stopPropagation();
    learningRate = 10 ** Number(lrInput.value);
    if (urlKeys) setUrlParam(urlKeys.learningRate, learningRate.toPrecision(3));
    render();
  });
  linkButton.addEventListener("click", async () => {
    await copyPageLink();
    say("Link copied: it opens this page with the same settings. Press Start there to train the same run.");
  });
  saveButton.addEventListener("click", () =>
    void serial(async () => {
      if (model === null || !task.exportWeights) return;
      const weights = await task.exportWeights(model);
      const file = { format: "unrolled-weights", version: 1, seed, step, backend: modelBackend, savedAt: new Date().toISOString(), weights };
      downloadText(`${weightsName}-seed${seed}-step${step}.json`, JSON.stringify(file, null, 1), "application/json");
    }),
  );
  loadButton.addEventListener("click", () => loadInput.click());
  loadInput.addEventListener("change", () => {
    const file = loadInput.files?.[0];
    loadInput.value = "";
    if (!file) return;
    void serial(async () => {
      try {
        const parsed = JSON.parse(await readFileText(file)) as { format?: string; weights?: unknown; step?: number };
        if (parsed.format !== "unrolled-weights") throw new Error("this file is not a weights file saved from Unrolled");
        if (model === null) await buildModel();
        await task.importWeights!(model!, parsed.weights);
        await refreshInspection(true);
        say(`Loaded the weights from ${file.name} (saved at step ${parsed.step ?? "?"}).`);
        notify();
      } catch (error) {
        say(`Could not load ${file.name}: ${error instanceof Error ? error.message : String(error)}. The current weights are unchanged.`, true);
      }
    });
  });
  for (const input of [seedInput, loadInput]) input.addEventListener("input", (event) => event.stopPropagation());

  Object.defineProperty(root, "value", {
    get: (): HarnessValue<Inspection> => ({ step, loss, running, seed, learningRate, backend: modelBackend, inspection }),
  });

  // ---- teardown ----
  const destroy = async () => {
    if (destroyed) return;
    running = false;
    destroyed = true;
    await busy;
    freeModel();
    stopWatchingRuntime();
    window.removeEventListener("pagehide", onPageHide);
  };
  const onPageHide = () => void destroy();
  window.addEventListener("pagehide", onPageHide);
  invalidation?.then(destroy);

  // A new backend means new tensors: rebuild the model there.
  let seenGeneration = runtimeState().generation;
  const stopWatchingRuntime = onRuntimeChange((state) => {
    if (state.generation === seenGeneration || destroyed) return;
    seenGeneration = state.generation;
    const wasRunning = running;
    running = false;
    void serial(async () => {
      await buildModel();
      say(`Now training on ${state.backend}; the model was rebuilt from seed ${seed}.`);
      notify();
    }).then(() => wasRunning && root.start());
  });

  render();
  void root.reset();
  return root;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}

function button(name: string, text: string, title: string): HTMLButtonElement {
  const b = el("button", "");
  b.type = "button";
  b.name = name;
  b.textContent = text;
  b.title = title;
  return b;
}

function labelled(text: string, ...inputs: HTMLElement[]): HTMLLabelElement {
  const label = el("label", "harness-field");
  label.append(`${text} `, ...inputs);
  return label;
}
