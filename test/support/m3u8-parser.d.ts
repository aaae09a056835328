/** The part of m3u8-parser (no bundled types) the tests use. */
declare module 'm3u8-parser' {
  export interface ParsedSegment {
    uri: string;
    duration: number;
    discontinuity?: boolean;
    [k: string]: unknown;
  }
  export interface ParsedManifest {
    targetDuration?: number;
    mediaSequence?: number;
    discontinuitySequence?: number;
    discontinuityStarts?: number[];
    endList?: boolean;
    segments: ParsedSegment[];
    [k: string]: unknown;
  }
  export class Parser {
    push(chunk: string): void;
    end(): void;
    manifest: ParsedManifest;
  }
}
