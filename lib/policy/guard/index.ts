import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, ChartProps, DependencyGraph, Yaml } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { readKubeYaml } from '../../kube/kube-yaml';
import { writePlainDocument } from '../../kube/kube-yaml-writer';
import { Catalogue } from '../catalogue';
import { constructMetadataKey } from '../construct-metadata';
import { blocking, EvaluatedObject, EvaluationGroup, evaluate, formatFinding, objectRefOf } from '../engine';
import { unservedObjects } from '../kube-version-guard';
import { frozenNullProto } from '../own';
import { HardeningProfile, setProfileGuardHook } from '../profile';
import { Finding, Outcome, Severity } from '../types';
import { withoutLibraryFrames } from '../user-frames';
import { EXCEPTIONS_ANNOTATION, todayUtc } from '../waiver-record';
import { GuardHooks, patchCdk8sEntryPoints } from './cdk8s-patch';

const GUARD_ID = 'HardeningGuard';
const GUARD_SYMBOL = Symbol.for('cdk8s-hardened.Guard');

/**
 * The synth-time guard. Once an App holds a library construct, a `HardenedChart`, a `Guard.of(chart)` or a
 * `HardeningProfile`, EVERY chart of that App is judged — nested charts and plain charts included — against the
 * catalogue plus the profiles' custom rules, once per synthesis:
 *
 * - `app.synth()`: the YAML that cdk8s is about to write is read back as kubectl reads it and judged; nothing is
 *   written unless it passes (a blocked synthesis leaves no new manifest in the output directory).
 * - `app.synthYaml()`: the returned YAML string is judged before it is returned.
 * - `chart.toJson()` / `App._synthChart(chart)` (EKS `addCdk8sChart`, `ClusterManifest.fromChart`, tests): the
 *   returned JSON (what CloudFormation receives) is judged before it is returned.
 *
 * So the guard sees what is written — after `Lazy` values, resolvers, `toJson()` overrides, JSON patches and late
 * mutation — not an earlier in-memory view. Any error finding without a valid waiver fails synthesis.
 */
export class Guard extends Construct {
  /** The guard handle of the chart that holds `scope` (created on first use); it puts the whole App under the guard. */
  public static of(scope: IConstruct): Guard {
    const chart = Chart.of(scope);
    const existing = chart.node.tryFindChild(GUARD_ID);
    if (existing && (existing as any)[GUARD_SYMBOL]) return existing as Guard;
    return new Guard(chart);
  }

  /** Put the App that holds `scope` under the guard (every chart, present and future), without choosing a chart. */
  public static ofApp(scope: IConstruct): void {
    AppGuard.of(scope.node.root);
  }

  /** The chart this handle belongs to. */
  public readonly chart: Chart;

  private constructor(chart: Chart) {
    super(chart, GUARD_ID);
    Object.defineProperty(this, GUARD_SYMBOL, { value: true });
    this.chart = chart;
    AppGuard.of(chart.node.root);
  }

  /**
   * Declare that this chart is deployed by CloudFormation (e.g. `cluster.addCdk8sChart(chart)` or
   * `cluster.addManifest(...)` of an EKS cluster), which resolves AWS CDK tokens at deploy time: the
   * `unresolved-token` rule no longer applies to its objects. Every other rule still does. Never use it for charts
   * written to YAML by `cdk8s synth`.
   */
  public allowCloudFormationTokens(): void {
    AppGuard.of(this.chart.node.root).cloudFormationCharts.add(this.chart);
  }

  /** Whether `allowCloudFormationTokens()` was called: the chart is deployed by CloudFormation, which resolves tokens. */
  public get cloudFormationTokensAllowed(): boolean {
    return AppGuard.of(this.chart.node.root).cloudFormationCharts.has(this.chart);
  }

  /**
   * Evaluate the App now (in memory) and return every non-pass finding on this chart's objects (fail and
   * unevaluable, waived ones carrying their waiver).
   */
  public findings(): Finding[] {
    const guard = AppGuard.of(this.chart.node.root);
    return guard.findingsOfChart(this.chart);
  }
}

/**
 * A Chart whose every object is checked by the hardening guard, even when it holds no library construct (which
 * puts its whole App under the guard).
 */
export class HardenedChart extends Chart {
  /** Creates the chart and attaches the synth-time Guard to it. */
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    Guard.of(this);
  }
}

/**
 * Serialize a chart's objects once and judge exactly that JSON (for callers that hand the objects to CloudFormation
 * themselves). Throws with every blocking finding. @internal
 */
export function guardedChartJson(chart: Chart): any[] {
  const guard = AppGuard.of(chart.node.root);
  const objects = chart.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart);
  guard.recordExceptions(objects);
  const out = objects.map(o => o.toJson());
  guard.judgeChartOutput(chart, out);
  return out;
}

/** One object to judge, with what is known of where it came from. */
interface Judged {
  readonly object: any;
  /** Output file (relative to the App's outdir) and document index, when judged from written YAML. */
  readonly file?: string;
  readonly documentIndex?: number;
  /** The ApiObject that produced it, when known. */
  readonly source?: ApiObject;
}

/** A synthesis in progress. */
interface Epoch {
  /** Files `Yaml.save` was asked to write (app.synth only): written after the output passed. */
  readonly writes?: BufferedWrite[];
}

/** A file `Yaml.save` was asked to write during a guarded `app.synth()`. */
interface BufferedWrite {
  readonly filePath: string;
  readonly data: string;
  /** The documents, when every one was written by `writePlainDocument` (so kubectl reads `data` back as exactly these). */
  readonly documents?: unknown[];
}

/** Serialize documents as `Yaml.save` does; plain documents by the fast writer, the rest by `Yaml.stringify`. */
function bufferWrite(filePath: string, docs: unknown[]): BufferedWrite {
  let exact = true;
  const parts = docs.map(d => {
    const fast = d === undefined ? undefined : writePlainDocument(d);
    if (fast !== undefined) return fast;
    exact = false;
    return Yaml.stringify(d);
  });
  // The documents are judged later, as written now: frozen here, so nothing that runs in between (another object's
  // toJson, a Lazy) can change what the guard sees after the bytes are fixed (a change fails). What is judged is a copy
  // without prototypes, built fast to read (own.ts), so the engine judges it in place with own properties only.
  const write = { filePath, data: parts.join('---\n'), ...(exact ? { documents: docs.map(frozenNullProto) } : {}) };
  if (process.env.CDK8S_HARDENED_VERIFY_WRITES === '1') verifyWrite(write, docs);
  return write;
}

/** Test aid (`CDK8S_HARDENED_VERIFY_WRITES=1`): the written bytes are cdk8s's, and the documents are what kubectl reads. */
function verifyWrite(write: BufferedWrite, docs: unknown[]): void {
  const expected = Yaml.stringify(...docs);
  if (write.data !== expected) throw new Error(`cdk8s-hardened: internal error: the fast YAML writer differs from Yaml.stringify for ${write.filePath}`);
  if (write.documents && JSON.stringify(readKubeYaml(write.data)) !== JSON.stringify(write.documents)) {
    throw new Error(`cdk8s-hardened: internal error: kubectl would not read ${write.filePath} as the documents written`);
  }
}

const GUARDS = new WeakMap<IConstruct, AppGuard>();
/** Where `Yaml.save` writes go while a guarded `app.synth()` runs. */
let writeBuffer: BufferedWrite[] | undefined;
/** While a guarded `app.synthYaml()` runs (null until written): its `Yaml.stringify`, by the fast writer. */
let stringifyCapture: BufferedWrite | null | undefined;
let inCapture = false;

/** The guard of one App (root construct): judges the final output once per synthesis. */
class AppGuard {
  public static of(root: IConstruct): AppGuard {
    let g = GUARDS.get(root);
    if (!g) {
      g = new AppGuard(root);
      GUARDS.set(root, g);
    }
    return g;
  }

  public static find(root: IConstruct): AppGuard | undefined {
    return GUARDS.get(root);
  }

  public readonly cloudFormationCharts = new WeakSet<Chart>();
  private epoch: Epoch | undefined;
  private readonly groups = new Map<string, EvaluationGroup>();

  private constructor(private readonly root: IConstruct) {
    installEntryPoints();
    // Fail-safe: a validation pass outside a guarded entry point (another copy of cdk8s, a direct `node.validate()`)
    // judges the in-memory view of every object.
    root.node.addValidation({ validate: () => (this.epoch ? [] : this.validateInMemory()) });
  }

  /** `app.synth()`: judge the bytes cdk8s is about to write; write them only if they pass. */
  public synth(app: App, original: () => void): void {
    if (this.epoch) return original();
    const writes: BufferedWrite[] = [];
    const previous = writeBuffer;
    this.epoch = { writes };
    writeBuffer = writes;
    try {
      this.recordExceptions(this.apiObjects());
      original();
    } finally {
      writeBuffer = previous;
      this.epoch = undefined;
    }
    const items: Judged[] = [];
    for (const w of writes) {
      const file = path.relative(app.outdir, w.filePath) || w.filePath;
      // Documents the fast writer wrote are judged as given: it proved kubectl reads its bytes back as exactly these.
      (w.documents ?? readOutput(w.data, file)).forEach((doc, documentIndex) => {
        if (doc !== null && doc !== undefined) items.push({ object: doc, file, documentIndex });
      });
    }
    this.enforce(items, `app (${writes.length} file(s) in ${app.outdir})`);
    for (const w of writes) fs.writeFileSync(w.filePath, w.data, { encoding: 'utf8' });
  }

  /** `app.synthYaml()`: judge the YAML before returning it. */
  public synthYaml(original: () => string): string {
    if (this.epoch) return original();
    this.epoch = {};
    let text: string;
    let captured: BufferedWrite | null | undefined;
    const previous = stringifyCapture;
    stringifyCapture = null;
    try {
      this.recordExceptions(this.apiObjects());
      text = original();
      captured = stringifyCapture as BufferedWrite | null; // set by the Yaml.stringify hook during original()
    } finally {
      stringifyCapture = previous;
      this.epoch = undefined;
    }
    // The fast writer's documents when it wrote the very text returned (as app.synth()); else the text, re-read.
    const docs: unknown[] = captured && captured.documents && captured.data === text ? captured.documents : readOutput(text, 'synthYaml()');
    const items: Judged[] = docs.filter(d => d !== null && d !== undefined).map((object, documentIndex) => ({ object, documentIndex }));
    this.enforce(items, 'app (synthYaml)');
    return text;
  }

  /** `chart.toJson()` / `App._synthChart(chart)` outside a whole-App synthesis: judge the returned JSON. */
  public synthChart(chart: Chart, original: () => any[]): any[] {
    if (this.epoch) {
      // Inside app.synth()/synthYaml(), which resolved dependencies and ran every validation once already: cdk8s would
      // redo both for every chart (charts x objects). Serialize the chart's objects in cdk8s's order (its chartToKube).
      return new DependencyGraph(chart.node).topology()
        .filter((x): x is ApiObject => ApiObject.isApiObject(x) && Chart.of(x) === chart)
        .map(x => x.toJson());
    }
    this.epoch = {};
    let out: any[];
    try {
      this.recordExceptions(this.apiObjects().filter(o => Chart.of(o) === chart));
      out = original();
    } finally {
      this.epoch = undefined;
    }
    this.judgeChartOutput(chart, out);
    return out;
  }

  /** Judge a chart's objects as serialized for CloudFormation / the caller (JSON); throw with every blocking finding. */
  public judgeChartOutput(chart: Chart, out: any[]): void {
    const json = JSON.parse(JSON.stringify(out ?? []));
    this.enforce(json.filter((o: any) => o !== null && o !== undefined).map((object: any) => ({ object })), `chart ${chart.node.path}`);
  }

  /** Findings of the in-memory view of the App, on one chart's objects. */
  public findingsOfChart(chart: Chart): Finding[] {
    const objects = this.apiObjects();
    this.recordExceptions(objects);
    const mine = new Set(objects.filter(o => Chart.of(o) === chart).map(o => o.node.path));
    return this.evaluate(objects.map(o => ({ object: o.toJson(), source: o })))
      .filter(f => f.object.constructPath !== undefined && mine.has(f.object.constructPath));
  }

  private validateInMemory(): string[] {
    const objects = this.apiObjects();
    this.recordExceptions(objects);
    try {
      this.enforce(objects.map(o => ({ object: o.toJson(), source: o })), 'app');
    } catch (e) {
      return [(e as Error).message];
    }
    return [];
  }

  private apiObjects(): ApiObject[] {
    return this.root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
  }

  /** Write each governing profile exception into the objects it governs, so it is in the output for every reader. */
  public recordExceptions(objects: ApiObject[]): void {
    for (const o of objects) {
      const exceptions = HardeningProfile.resolve(o).exceptions;
      if (exceptions.length > 0) o.metadata.addAnnotation(EXCEPTIONS_ANNOTATION, JSON.stringify(exceptions));
    }
  }

  /** Evaluate, report warnings and exceptions on stderr, and throw with every blocking finding. */
  private enforce(items: Judged[], what: string): void {
    // What the chosen Kubernetes version does not serve is refused here, as `check` and the plugin refuse it.
    const index = this.sourceIndex();
    const unserved = unservedObjects(items.map(i => ({ object: i.object, source: i.source ?? index.get(keyOf(i.object)) })), s => this.groupOf(s).settings);
    if (unserved.length > 0) throw new Error(`cdk8s-hardened: ${unserved.length} object(s) of ${what} are not served by their Kubernetes version:\n${unserved.join('\n')}`);
    const findings = this.evaluate(items);
    const errors = blocking(findings);
    const quiet = process.env.CDK8S_HARDENED_QUIET === '1';
    if (!quiet) {
      const warnings = findings.filter(f => !errors.includes(f) && !f.waiver &&
        (f.outcome === Outcome.UNEVALUABLE || (f.outcome === Outcome.FAIL && f.severity !== Severity.INFO)));
      if (warnings.length > 0) {
        process.stderr.write(`cdk8s-hardened: ${warnings.length} warning(s) in ${what}:\n` + warnings.map(f => `  - ${formatFinding(f)}\n`).join(''));
      }
      const excepted = findings.filter(f => f.waiver?.reason.startsWith('profile exception of '));
      if (excepted.length > 0) {
        process.stderr.write(`cdk8s-hardened: [audit mode] ${excepted.length} finding(s) lifted by profile exceptions in ${what}:\n` +
          excepted.map(f => `  - ${formatFinding(f)} [${f.waiver!.reason}; owner ${f.waiver!.owner}, expires ${f.waiver!.expires}]\n`).join(''));
      }
    }
    if (errors.length === 0) return;
    const blocked = new Error(`cdk8s-hardened: ${errors.length} finding(s) block synthesis of ${what}:\n` +
      errors.map(f => `  - ${formatFinding(f)}`).join('\n') +
      '\n  To accept a risk explicitly: Waiver.apply(apiObject, { ruleId, reason, owner, expires }).');
    // A blocked synthesis is a verdict, not a crash: no frames inside this library (user-frames.ts).
    withoutLibraryFrames(blocked, 'synthesis');
    throw blocked;
  }

  /** Evaluate judged objects in one pass; each object with the rules and settings of the profiles that govern it. */
  private evaluate(items: Judged[]): Finding[] {
    const index = this.sourceIndex();
    const evaluated: EvaluatedObject[] = items.map(item => {
      const source = item.source ?? index.get(keyOf(item.object));
      return {
        object: item.object,
        ref: objectRefOf(item.object, {
          ...(source ? { constructPath: source.node.path } : {}),
          ...(item.file !== undefined ? { file: item.file } : {}),
          ...(item.documentIndex !== undefined ? { documentIndex: item.documentIndex } : {}),
        }),
        group: this.groupOf(source),
      };
    });
    const base = this.groupOf(undefined);
    return evaluate(evaluated, { rules: base.rules, knownRules: base.knownRules, settings: base.settings, today: todayUtc(), adopt: true });
  }

  /** ApiObjects by apiVersion/kind/namespace/name, to attribute judged documents to constructs. */
  private sourceIndex(): Map<string, ApiObject> {
    const index = new Map<string, ApiObject>();
    for (const o of this.apiObjects()) {
      const key = `${o.apiVersion}\u0000${o.kind}\u0000${o.metadata.namespace ?? ''}\u0000${o.name}`;
      if (!index.has(key)) index.set(key, o);
    }
    return index;
  }

  /** Rules and settings for the objects of a scope (objects under the same profiles share one group). */
  private groupOf(source: ApiObject | undefined): EvaluationGroup {
    const scope = source ?? this.root;
    const chain = HardeningProfile.chainOf(scope);
    const cfn = source !== undefined && this.cloudFormationCharts.has(Chart.of(source));
    const key = `${chain.map(p => p.node.addr).join(',')}|${cfn}`;
    let group = this.groups.get(key);
    if (!group) {
      const profile = HardeningProfile.resolve(scope);
      const known = [...Catalogue.all(), ...profile.customRules];
      group = {
        rules: known.filter(r => !(cfn && r.id === 'unresolved-token')),
        knownRules: known,
        settings: HardeningProfile.settingsOf(scope),
      };
      this.groups.set(key, group);
    }
    return group;
  }
}

/** Read synthesized YAML as kubectl will; output kubectl would refuse blocks synthesis. */
function readOutput(text: string, file: string): unknown[] {
  try {
    return readKubeYaml(text);
  } catch (e) {
    throw new Error(`cdk8s-hardened: the synthesized ${file} is not YAML that kubectl reads: ${(e as Error).message}`);
  }
}

setProfileGuardHook(profile => AppGuard.of(profile.node.root));

function keyOf(obj: any): string {
  return `${obj?.apiVersion}\u0000${obj?.kind}\u0000${obj?.metadata?.namespace ?? ''}\u0000${obj?.metadata?.name}`;
}

/**
 * The guard's side of cdk8s's synthesis entry points, which guard-cdk8s-patch.ts wraps (Apps without a guard are
 * untouched): writes and YAML text during a guarded synthesis come here.
 */
const HOOKS: GuardHooks = {
  find: root => AppGuard.find(root),
  save(filePath, docs) {
    if (!writeBuffer) return false;
    writeBuffer.push(bufferWrite(filePath, docs));
    return true;
  },
  stringify(docs) {
    if (stringifyCapture === undefined || inCapture) return undefined;
    inCapture = true;
    let w: BufferedWrite;
    try {
      w = bufferWrite('synthYaml()', docs);
    } finally {
      inCapture = false;
    }
    stringifyCapture = w; // the last call is synthYaml's own, checked against the text it returns
    return w.data;
  },
  // cdk8s keys construct-metadata.json (read by cdk8s-cli's validation report) by metadata.name alone: the objects of
  // one workload share a name, so the report would name the last one's construct. Add a unique key per object
  // (construct-metadata.ts), keeping cdk8s's own entries.
  constructMetadataWritten: (app, apiObjects) => addUniqueConstructMetadata(path.join(app.outdir, 'construct-metadata.json'), apiObjects),
};

function installEntryPoints(): void {
  patchCdk8sEntryPoints(HOOKS);
}

/** Add `<apiVersion>/<kind>/<namespace>/<name>` → construct path entries to the construct-metadata.json cdk8s wrote. */
function addUniqueConstructMetadata(file: string, apiObjects: ApiObject[]): void {
  if (!fs.existsSync(file)) return;
  const contents = JSON.parse(fs.readFileSync(file, 'utf8'));
  const resources: Record<string, { path: string }> = contents.resources ?? {};
  for (const o of apiObjects) {
    // The key of the object as written (after overrides and JSON patches), which is what the plugin reads back.
    const key = constructMetadataKey(o.toJson());
    if (key !== undefined && !Object.prototype.hasOwnProperty.call(resources, key)) resources[key] = { path: o.node.path };
  }
  fs.writeFileSync(file, JSON.stringify({ ...contents, resources }));
}
