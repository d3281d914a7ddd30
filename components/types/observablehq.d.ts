// The parts of Framework's standard library that the components use.
declare module "observablehq:stdlib" {
  export interface FileAttachmentHandle {
    readonly name: string;
    readonly href: string;
    url(): Promise<string>;
    text(): Promise<string>;
    json(): Promise<unknown>;
    csv(options?: { typed?: boolean }): Promise<Record<string, unknown>[]>;
    arrayBuffer(): Promise<ArrayBuffer>;
  }
  export function FileAttachment(name: string): FileAttachmentHandle;
}

// Framework's JavaScript parser (not a public API; the version is pinned by package-lock.json).
declare module "@observablehq/framework/dist/javascript/parse.js" {
  export function parseJavaScript(
    input: string,
    options: { path: string; inline?: boolean; params?: unknown },
  ): { references: { name: string }[]; declarations: { name: string }[] | null; expression: boolean; async: boolean };
}
