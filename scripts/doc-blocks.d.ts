/** Types of scripts/doc-blocks.js (plain JavaScript: scripts/consumer-test.sh runs it with node, without ts-node). */
export interface DocBlock {
  /** 1-based line of the block's first code line in its Markdown file. */
  readonly line: number;
  /** Marked ```ts program: compiled and run. */
  readonly program: boolean;
  readonly code: string;
}
export interface WrittenBlock {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly offset: number;
  readonly program: boolean;
  readonly lines: number;
}
export function extract(text: string): DocBlock[];
export function markdownFiles(repo: string): string[];
export function write(repo: string, outDir: string, names?: Set<string>): WrittenBlock[];
export function mapOutput(outDir: string, output: string): string;
export function check(repo: string, outDir: string, tsc: string): number;
