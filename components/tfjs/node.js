// Node entry: the same API as the browser bundle, from the npm packages.
export * from "@tensorflow/tfjs";
export { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
