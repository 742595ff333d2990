/**
 * A fast writer for the common case of cdk8s's YAML output, used by the App-level guard.
 *
 * `cdk8s.Yaml.stringify` (the `yaml` package, YAML 1.1 schema, `lineWidth: 0`) is about half of what a plain cdk8s
 * synthesis costs. Most Kubernetes documents are plain JSON trees whose strings need no quoting: for those this
 * writer produces **the same bytes** as `Yaml.stringify`, several times faster, and proves on the way that kubectl
 * reads the bytes back as exactly the JSON it was given (every plain scalar is checked with go-yaml v2's resolver, the
 * one `readKubeYaml` ports). A document it cannot write that way (a string `Yaml.stringify` would quote or fold, a
 * multi-line string, a float, a key `<<`, a non-plain object, ...) is left to `Yaml.stringify` and read back by the
 * guard as before.
 *
 * Byte equality with `Yaml.stringify` and read-back equality are tested differentially
 * (test/kube/kube-yaml-writer.test.ts) on generated documents and on every example's output; with
 * `CDK8S_HARDENED_VERIFY_WRITES=1` (set for the whole test suite) the guard checks both on every synthesis.
 */
import * as path from 'path';
import { StringMemo } from './cache';
import { resolvePlainScalar } from './kube-yaml';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdk8sYaml: any = require(require.resolve('yaml', { paths: [path.dirname(require.resolve('cdk8s'))] }));

/** Default tag tests of the YAML 1.1 schema cdk8s writes with: a plain string matching one would be quoted. */
let yaml11Tests: RegExp[] | undefined;
function tagTests(): RegExp[] {
  if (!yaml11Tests) {
    const schema = new cdk8sYaml.Document(null, { version: '1.1' }).schema;
    yaml11Tests = [...schema.tags, ...(schema.compat ?? [])]
      .filter((t: any) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test instanceof RegExp)
      .map((t: any) => t.test as RegExp);
  }
  return yaml11Tests;
}

/** The first test of the `yaml` package's plainString: an indicator or `: `/` #` that forces quoting. */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** Characters this writer leaves to Yaml.stringify: controls, tabs, newlines, non-ASCII line breaks, BOM, surrogates. */
const UNUSUAL = /[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
/** The `yaml` package writes keys longer than this as explicit `? key` entries. */
const MAX_IMPLICIT_KEY = 1024;

const plainCache = new StringMemo<boolean>(100_000);

/** Whether `Yaml.stringify` writes `s` as a plain scalar and go-yaml reads that plain scalar back as the string `s`. */
function isPlainString(s: string): boolean {
  let ok = plainCache.get(s);
  if (ok === undefined) {
    ok = s.length > 0 && s.length < MAX_IMPLICIT_KEY && s !== '<<' &&
      !UNUSUAL.test(s) && !NOT_PLAIN.test(s) && !DOCUMENT_MARKER.test(s) &&
      !tagTests().some(t => t.test(s)) &&
      resolvePlainScalar(s) === s;
    plainCache.set(s, ok);
  }
  return ok;
}

class Unwritable {}
const UNWRITABLE = new Unwritable();

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function scalar(v: unknown): string {
  switch (typeof v) {
    case 'string':
      if (isPlainString(v)) return v;
      throw UNWRITABLE;
    case 'number':
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v);
      throw UNWRITABLE;
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      if (v === null) return 'null';
      throw UNWRITABLE;
  }
}

function key(k: string): string {
  if (isPlainString(k)) return k;
  throw UNWRITABLE;
}

/** Deeper than this (or a cycle) is left to Yaml.stringify. */
const MAX_INDENT = 2 * 500;

/** Write `v` as the value after `key:` (or after `- `) at nesting `indent`. */
function value(v: unknown, indent: string, out: string[], afterDash: boolean): void {
  if (Array.isArray(v)) {
    if (v.length === 0) {
      out.push(afterDash ? '[]\n' : ' []\n');
      return;
    }
    seq(v, indent, out, afterDash);
  } else if (isPlainObject(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0) {
      out.push(afterDash ? '{}\n' : ' {}\n');
      return;
    }
    map(v, keys, indent, out, afterDash);
  } else {
    out.push(afterDash ? `${scalar(v)}\n` : ` ${scalar(v)}\n`);
  }
}

function map(m: Record<string, unknown>, keys: string[], indent: string, out: string[], inline: boolean): void {
  if (indent.length > MAX_INDENT) throw UNWRITABLE;
  // A map inside a sequence item starts on the `- ` line; elsewhere every key starts a line at `indent`.
  let first = true;
  for (const k of keys) {
    const v = m[k];
    if (v === undefined) throw UNWRITABLE; // keepUndefined: Yaml.stringify writes these its own way
    if (!(first && inline)) out.push(indent);
    first = false;
    out.push(key(k), ':');
    const child = indent + '  ';
    if (Array.isArray(v) && v.length > 0) {
      out.push('\n');
      seq(v, child, out, false);
    } else if (isPlainObject(v) && Object.keys(v).length > 0) {
      out.push('\n');
      map(v, Object.keys(v), child, out, false);
    } else {
      value(v, child, out, false);
    }
  }
}

function seq(s: unknown[], indent: string, out: string[], inline: boolean): void {
  if (indent.length > MAX_INDENT) throw UNWRITABLE;
  let first = true;
  for (const item of s) {
    if (item === undefined) throw UNWRITABLE;
    if (!(first && inline)) out.push(indent);
    first = false;
    out.push('- ');
    const child = indent + '  ';
    if (Array.isArray(item) && item.length > 0) {
      seq(item, child, out, true);
    } else if (isPlainObject(item) && Object.keys(item).length > 0) {
      map(item, Object.keys(item), child, out, true);
    } else {
      value(item, child, out, true);
    }
  }
}

/**
 * The bytes `Yaml.stringify(doc)` writes for one document, or undefined when this writer leaves the document to
 * `Yaml.stringify`. When it returns a string, go-yaml (kubectl) reads that string back as exactly `doc`.
 */
export function writePlainDocument(doc: unknown): string | undefined {
  if (!isPlainObject(doc)) return undefined;
  const keys = Object.keys(doc);
  if (keys.length === 0) return undefined;
  const out: string[] = [];
  try {
    map(doc, keys, '', out, false);
  } catch (e) {
    if (e === UNWRITABLE) return undefined;
    throw e;
  }
  return out.join('');
}
