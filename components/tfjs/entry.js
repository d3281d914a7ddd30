// Browser entry bundled by build.mjs. Every backend registers with the one
// tfjs-core engine that @tensorflow/tfjs re-exports.
export * from "@tensorflow/tfjs";
export { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import "@tensorflow/tfjs-backend-webgpu";
