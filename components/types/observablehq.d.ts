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
