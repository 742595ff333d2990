import { createHash } from 'crypto';
import * as fs from 'fs';
import { Finding } from '../policy/types';
import { InputError } from './input';

/** Version of the baseline file format. */
export const BASELINE_FORMAT = 1;

/**
 * A finding's stable identity: rule + object identity (API group, kind, namespace, name, list item) + JSON path.
 * Never a file name or a line number, so moving or reformatting a manifest keeps it. The same string is the SARIF
 * `partialFingerprints["cdk8sHardened/v1"]`.
 */
export function fingerprintOf(f: Finding): string {
  const o = f.object;
  const slash = o.apiVersion.indexOf('/');
  const group = slash >= 0 ? o.apiVersion.slice(0, slash) : '';
  return `${f.ruleId}|${group ? `${group}/` : ''}${o.kind}|${o.namespace ?? ''}/${o.name}${o.listItem ? `|${o.listItem}` : ''}|${f.path}`;
}

function canonical(value: any): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map(k => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Digest of an object's content (keys sorted, so formatting and key order do not matter; any value change does). */
export function objectDigest(object: any): string {
  return createHash('sha256').update(canonical(object)).digest('hex').slice(0, 32);
}

/** One baselined finding. */
export interface BaselineEntry {
  readonly fingerprint: string;
  /** Digest of the object when the baseline was written: a changed object makes its findings new again. */
  readonly object: string;
  readonly ruleId: string;
  readonly severity: string;
  /** `Kind namespace/name`, for people reading the file. */
  readonly resource: string;
  readonly path: string;
}

/** Findings recorded by `--write-baseline`, matched by `--baseline`. */
export class Baseline {
  /** Read and validate a baseline file. */
  public static load(file: string, display: string): Baseline {
    let doc: any;
    try {
      doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new InputError(display, undefined, err.code === 'ENOENT' ? 'baseline file not found (write one with --write-baseline FILE)' : `not a baseline file: ${err.message}`);
    }
    if (!doc || doc.baselineFormat !== BASELINE_FORMAT || !Array.isArray(doc.findings)) {
      throw new InputError(display, undefined, `not a cdk8s-hardened baseline (expected {"baselineFormat": ${BASELINE_FORMAT}, "findings": [...]}); write one with --write-baseline FILE`);
    }
    const entries: BaselineEntry[] = [];
    doc.findings.forEach((e: any, i: number) => {
      if (!e || typeof e.fingerprint !== 'string' || typeof e.object !== 'string') {
        throw new InputError(display, undefined, `findings[${i}] needs "fingerprint" and "object" strings`);
      }
      entries.push(e);
    });
    return new Baseline(entries);
  }

  private readonly counts = new Map<string, number>();

  constructor(entries: readonly BaselineEntry[]) {
    for (const e of entries) {
      const key = `${e.fingerprint}\u0000${e.object}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
  }

  /** True (and used up) when the baseline holds this finding on an unchanged object. */
  public take(fingerprint: string, digest: string): boolean {
    const key = `${fingerprint}\u0000${digest}`;
    const n = this.counts.get(key) ?? 0;
    if (n === 0) return false;
    this.counts.set(key, n - 1);
    return true;
  }
}

/** The baseline file for a set of entries: sorted, one entry per line, so that its diffs review well. */
export function baselineText(entries: BaselineEntry[]): string {
  const sorted = [...entries].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : a.object < b.object ? -1 : 1));
  const lines = sorted.map(e => `    ${JSON.stringify(e)}`);
  return `{\n  "tool": "cdk8s-hardened",\n  "baselineFormat": ${BASELINE_FORMAT},\n  "findings": [${lines.length ? `\n${lines.join(',\n')}\n  ` : ''}]\n}\n`;
}
