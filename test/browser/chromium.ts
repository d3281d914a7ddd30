// Finds a local Chromium or Chrome and launches it with software WebGL and WebGPU, so that
// every tfjs backend can start on a machine without a GPU (as in CI).
import { existsSync } from "node:fs";
import { chromium, type Browser, type LaunchOptions } from "playwright-core";

export const CHROMIUM_CANDIDATES: readonly string[] = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/snap/bin/chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
];

export const NO_CHROMIUM_MESSAGE =
  "No Chromium or Chrome found: install it (Debian/Ubuntu: sudo apt-get install chromium; macOS: install Google Chrome) or set CHROMIUM_PATH.";

/** CHROMIUM_PATH, then CHROME_PATH, then the usual install locations. */
export function findChromium(
  env: Record<string, string | undefined> = process.env,
  exists: (path: string) => boolean = existsSync,
): string {
  for (const variable of ["CHROMIUM_PATH", "CHROME_PATH"]) {
    const path = env[variable];
    if (!path) continue;
    if (exists(path)) return path;
    throw new Error(`${variable}=${path} does not exist. ${NO_CHROMIUM_MESSAGE}`);
  }
  const found = CHROMIUM_CANDIDATES.find((path) => exists(path));
  if (!found) throw new Error(NO_CHROMIUM_MESSAGE);
  return found;
}

/** SwiftShader: software WebGL. */
export const WEBGL_FLAGS = ["--use-angle=swiftshader", "--enable-unsafe-swiftshader"];
/** Dawn on SwiftShader's Vulkan: software WebGPU. Without these Chromium gives no adapter here. */
export const WEBGPU_FLAGS = ["--enable-unsafe-webgpu", "--enable-features=Vulkan", "--use-vulkan=swiftshader", "--use-webgpu-adapter=swiftshader"];
/** Needed when running as root (containers, CI), and quieter everywhere. */
export const ROOT_FLAGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

export type GpuApi = "webgl" | "webgpu";

export interface LaunchBrowserOptions extends LaunchOptions {
  /** APIs to take away from pages, to test the backend fallback (no WebGL implies no WebGPU). */
  disable?: GpuApi[];
  /** More command-line flags, appended last. */
  extraArgs?: string[];
}

/** The command-line flags for a launch; exported for tests and for the curious. */
export function chromiumFlags(disable: GpuApi[] = [], extraArgs: string[] = [], isRoot = process.getuid?.() === 0): string[] {
  return [
    ...(isRoot ? ROOT_FLAGS : []),
    // --disable-webgl alone leaves WebGL to OffscreenCanvas (which tfjs uses); only a GL-less
    // GPU process takes it away, and that takes WebGPU away too.
    ...(disable.includes("webgl") ? ["--disable-webgl", "--use-gl=disabled"] : WEBGL_FLAGS),
    // Chromium ignores --disable-features=WebGPU once --enable-unsafe-webgpu is given, so
    // WebGPU is taken away by not enabling it: without a GPU there is then no adapter.
    ...(disable.includes("webgpu") ? [] : WEBGPU_FLAGS),
    ...extraArgs,
  ];
}

export function launchBrowser(options: LaunchBrowserOptions = {}): Promise<Browser> {
  const { disable = [], extraArgs = [], args = [], ...rest } = options;
  return chromium.launch({
    executablePath: findChromium(),
    ...rest,
    args: [...chromiumFlags(disable, [...args, ...extraArgs])],
  });
}
