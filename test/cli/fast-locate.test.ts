/**
 * The line scan that locates findings without re-reading their document (lib/cli/fast-locate.ts) against the YAML
 * parser (locateByParsing): on every finding of every fixture and of hand-written tricky documents, the scan gives the
 * parser's line and column, or gives up.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkObjects } from '../../lib/cli/check';
import { scanLocate } from '../../lib/cli/fast-locate';
import { LoadedObject, locate, locateByParsing, parseSource, segments } from '../../lib/cli/input';
import { privilegedPod, REPO } from './helpers';

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

const TRICKY: { [name: string]: string } = {
  'indentless sequence': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: c\n    image: nginx\n    securityContext:\n      privileged: true\n',
  'comments and blank lines': '# head\napiVersion: v1\nkind: Pod\nmetadata:\n  name: a # trailing\n\nspec:\n  # a comment at a key column\n  containers:\n\n    - name: c   # x\n      image: nginx\n      securityContext:   # y\n        privileged: true\n',
  'CRLF': 'apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: a\r\nspec:\r\n  containers:\r\n    - name: c\r\n      image: nginx\r\n      securityContext:\r\n        privileged: true\r\n',
  'quoted keys': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n"spec":\n  \'containers\':\n    - "name": c\n      image: nginx\n      "securityContext": {privileged: true}\n',
  'flow mapping': 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: nginx, securityContext: {privileged: true}}]}\n',
  'anchors and merge': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - &c\n      name: c\n      image: nginx\n      securityContext:\n        privileged: true\n',
  'duplicate keys': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: c\n      image: nginx\n      securityContext:\n        privileged: false\n      securityContext:\n        privileged: true\n',
  'multi-line scalars': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    a: "one\n      two: three"\n    b: |\n      privileged: true\n      c: d\nspec:\n  containers:\n    - name: c\n      image: nginx\n      command: [sh,\n        -c]\n      securityContext:\n        privileged: true\n',
  'item starting on its own line': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    -\n      name: c\n      image: nginx\n      securityContext:\n        privileged: true\n',
  'deeper dash indent': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n      -   name: c\n          image: nginx\n          securityContext:\n              privileged: true\n',
  'yes key': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    yes: x\ndata:\n  on: b\n',
  'list kind': 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n  spec:\n    containers:\n    - name: c\n      image: nginx\n      securityContext:\n        privileged: true\n',
  'two documents': privilegedPod('a') + '---\n' + privilegedPod('b') + '--- # next\n' + privilegedPod('c'),
  'JSON': JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] } }, null, 2),
};

function compare(objects: LoadedObject[], flow = false): { fast: number; total: number; mismatches: string[] } {
  let fast = 0;
  let total = 0;
  const mismatches: string[] = [];
  const index = new Map(objects.map(o => [`${o.source.name}#${o.documentIndex}#${o.pathInDocument}`, o]));
  for (const f of checkObjects(objects, { today: '2026-12-06' }).findings) {
    const o = f.finding.object;
    const obj = index.get(`${f.file}#${o.documentIndex}#${o.listItem ?? ''}`) ?? objects.find(x => x.source.name === f.file && x.documentIndex === o.documentIndex);
    if (!obj) continue;
    const parts = [...segments(obj.pathInDocument), ...segments(f.finding.path)];
    const scanned = scanLocate(obj.source.text, obj.docStart, obj.docEnd, parts, { flow });
    const parsed = locateByParsing(obj, parts);
    total++;
    if (!scanned) continue;
    fast++;
    const got = { line: obj.docLine + scanned.line - 1, column: scanned.column };
    if (got.line !== parsed.line || got.column !== parsed.column) {
      mismatches.push(`${f.file} doc ${o.documentIndex} ${f.finding.path}: scan ${got.line}:${got.column}, parser ${parsed.line}:${parsed.column}`);
    }
  }
  return { fast, total, mismatches };
}

describe('locating findings by a line scan equals the parser, or gives up', () => {
  test('every fixture of the repository', () => {
    let fast = 0;
    let total = 0;
    const mismatches: string[] = [];
    for (const file of yamlFiles(path.join(REPO, 'test', 'fixtures'))) {
      let objects: LoadedObject[];
      try {
        objects = parseSource(path.relative(REPO, file), fs.readFileSync(file));
      } catch {
        continue; // fixtures of bad input
      }
      const r = compare(objects);
      fast += r.fast;
      total += r.total;
      mismatches.push(...r.mismatches);
    }
    expect(mismatches).toEqual([]);
    expect(total).toBeGreaterThan(1000);
    // Most fixtures are plain block YAML: the scan is what runs.
    expect(fast / total).toBeGreaterThan(0.3);
  });

  test.each(Object.keys(TRICKY))('%s', name => {
    const r = compare(parseSource(`${name}.yaml`, TRICKY[name]));
    expect(r.mismatches).toEqual([]);
    expect(r.total).toBeGreaterThan(0);
  });

  test('the scan gives up on flow collections, anchors and JSON, and answers plain block YAML', () => {
    const deep = ['spec', 'containers', '0', 'securityContext', 'privileged'];
    for (const t of [TRICKY['flow mapping'], TRICKY.JSON, TRICKY['anchors and merge']]) expect(scanLocate(t, 0, t.length, deep)).toBeUndefined();
    expect(compare(parseSource('j.yaml', TRICKY.JSON)).fast).toBe(0);
    const block = TRICKY['indentless sequence'];
    expect(scanLocate(block, 0, block.length, deep)).toEqual({ line: 10, column: 7 });
    const plain = compare(parseSource('p.yaml', privilegedPod('a')));
    expect(plain.fast).toBe(plain.total);
  });
});

/**
 * Flow collections written on one line (`metadata: {name: a}`, `- {name: c, image: x}`): the scan with the flow
 * option (what `check` runs, input.ts locate) against the parser, on the fixtures, the tricky documents and
 * generated variants (spacing, quoting, nesting, duplicates, comments, CRLF, collections spanning lines).
 */
describe('the line scan reading one-line flow collections equals the parser, or gives up', () => {
  test('every fixture of the repository', () => {
    const mismatches: string[] = [];
    let total = 0;
    for (const file of yamlFiles(path.join(REPO, 'test', 'fixtures'))) {
      let objects: LoadedObject[];
      try {
        objects = parseSource(path.relative(REPO, file), fs.readFileSync(file));
      } catch {
        continue;
      }
      const r = compare(objects, true);
      total += r.total;
      mismatches.push(...r.mismatches);
    }
    expect(mismatches).toEqual([]);
    expect(total).toBeGreaterThan(1000);
  });

  test.each(Object.keys(TRICKY))('%s', name => {
    expect(compare(parseSource(`${name}.yaml`, TRICKY[name]), true).mismatches).toEqual([]);
  });

  // A small deterministic generator (no Math.random: a failure names its seed).
  function variants(seed: number): string {
    let x = seed * 2654435761 % 4294967296;
    const pick = <T>(xs: readonly T[]): T => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return xs[x % xs.length];
    };
    const sp = () => pick(['', ' ', '  ']);
    const q = (v: string) => pick([v, `"${v}"`, `'${v}'`]);
    const sc = pick([
      '{privileged: true}', `{${sp()}privileged: ${pick(['true', 'false'])},${sp()} runAsNonRoot: false${sp()}}`,
      `{capabilities: {add: [${q('NET_ADMIN')}, SYS_TIME]}, privileged: true}`, '{}', '{privileged: true, privileged: false}',
      '{"privileged": true}', '{privileged: true} # comment', '{privileged: true,\n        runAsUser: 0}', '{privileged: true}#x',
      '{ privileged : true }', '{seccompProfile: {type: Unconfined}, allowPrivilegeEscalation: true}', '{procMount: Unmasked, sysctls: []}',
    ]);
    const container = pick([
      `{name: c, image: ${q('nginx:1.25')}, securityContext: ${sc}}`,
      `{name: c, image: "registry.example.com/c@sha256:0123", ports: [{containerPort: 22}, {containerPort: 80}], securityContext: ${sc}}`,
      `{name: 'it''s', image: nginx, env: [{name: A, value: "x,y"}, {name: B, value: 'a: b'}], securityContext: ${sc}}`,
      `{name: c, image: nginx, args: [-c, "echo hi"], securityContext: ${sc}}`,
      `{name: c, image: nginx, resources: {limits: {memory: 1Gi}, requests: {}}, securityContext: ${sc}}`,
      `{name: c, image: "nginx", volumeMounts: [{name: v, mountPath: /var/run/docker.sock}], securityContext: ${sc}}`,
    ]);
    const style = pick(['block-items', 'flow-list', 'flow-spec', 'indentless']);
    const eol = pick(['\n', '\n', '\r\n']);
    const meta = pick([`metadata: {name: p${seed}, namespace: ns}`, `metadata: {name: p${seed}, labels: {app: a, yes: y}}`,
      `metadata:\n  name: p${seed}\n  labels: {app: a}`, `metadata: {name: p${seed}, annotations: {a.b/c: "d"}}`]);
    const host = pick(['', `${eol}  hostNetwork: true`, `${eol}  hostAliases: [{ip: 1.2.3.4, hostnames: [a]}]`]);
    const vols = pick(['', `${eol}  volumes: [{name: v, hostPath: {path: /var/run/docker.sock}}]`]);
    let spec: string;
    if (style === 'flow-spec') spec = `spec: {containers: [${container}], hostPID: true}`;
    else if (style === 'flow-list') spec = `spec:${eol}  containers: [${container}, ${container.replace('name: c', 'name: d')}]${host}${vols}`;
    else if (style === 'indentless') spec = `spec:${eol}  containers:${eol}  - ${container}${host}${vols}`;
    else spec = `spec:${eol}  containers:${eol}    - ${container}${eol}    -${sp()} ${container.replace('name: c', 'name: e')}${host}${vols}`;
    return ['apiVersion: v1', 'kind: Pod', meta, spec].join(eol).replace(/\n/g, eol === '\r\n' ? '\r\n' : '\n').replace(/\r\r/g, '\r') + eol;
  }

  test('generated documents', () => {
    const mismatches: string[] = [];
    let fast = 0;
    let total = 0;
    for (let seed = 1; seed <= 400; seed++) {
      let objects: LoadedObject[];
      try {
        objects = parseSource(`gen-${seed}.yaml`, variants(seed));
      } catch {
        continue;
      }
      const r = compare(objects, true);
      fast += r.fast;
      total += r.total;
      mismatches.push(...r.mismatches.map(m => `seed ${seed}: ${m}`));
    }
    expect(mismatches).toEqual([]);
    expect(total).toBeGreaterThan(2000);
    expect(fast / total).toBeGreaterThan(0.5);
  });

  test('check locates a flow-style Pod by the scan, at the parser\'s positions', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec:\n  containers: [{name: c, image: "x@sha256:0", securityContext: {privileged: true}}]\n';
    const [obj] = parseSource('p.yaml', text);
    const deep = ['spec', 'containers', '0', 'securityContext', 'privileged'];
    expect(scanLocate(text, obj.docStart, obj.docEnd, deep)).toBeUndefined();
    expect(scanLocate(text, obj.docStart, obj.docEnd, deep, { flow: true })).toEqual({ line: 5, column: 65 });
    expect(locate(obj, 'spec.containers[0].securityContext.privileged')).toEqual(locateByParsing(obj, deep));
    expect(locate(obj, 'metadata.labels')).toEqual(locateByParsing(obj, ['metadata', 'labels']));
  });
});
