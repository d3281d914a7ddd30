export * from "@tensorflow/tfjs";
export { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
