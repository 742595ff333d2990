/**
 * The synth guard's only dependency on cdk8s internals: it wraps cdk8s's synthesis entry points so that what cdk8s
 * writes or returns passes through the guard of the App being synthesized. Apps without a guard are untouched (each
 * wrapper calls cdk8s's own function with the same `this` and arguments).
 *
 * What is wrapped (pinned by test/policy/guard/cdk8s-patch.test.ts against the installed cdk8s, in the peer range of
 * package.json): see CDK8S_ENTRY_POINTS. The patch is applied once per loaded copy of cdk8s (a symbol on
 * App.prototype marks it), the first time a guard is created.
 */
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { IConstruct } from 'constructs';

/** Marks a copy of cdk8s whose entry points are wrapped. */
const PATCHED = Symbol.for('cdk8s-hardened.guard-entry-points');

/** The cdk8s functions the guard wraps: where each lives, and its declared arity (`Function.length`). */
export const CDK8S_ENTRY_POINTS: readonly { readonly owner: 'App.prototype' | 'App' | 'Yaml'; readonly name: string; readonly arity: number; readonly optional?: boolean }[] = [
  { owner: 'App.prototype', name: 'synth', arity: 0 },
  { owner: 'App.prototype', name: 'synthYaml', arity: 0 },
  { owner: 'App', name: '_synthChart', arity: 1 },
  // Newer cdk8s versions only: writes construct-metadata.json, read by cdk8s-cli's validation report.
  { owner: 'App.prototype', name: 'writeConstructMetadata', arity: 1, optional: true },
  { owner: 'Yaml', name: 'save', arity: 2 },
  { owner: 'Yaml', name: 'stringify', arity: 0 },
];

/** The guard of one App, as the wrapped entry points use it. */
export interface GuardedSynthesis {
  /** `app.synth()`: `original` writes the files. */
  synth(app: App, original: () => void): void;
  /** `app.synthYaml()`: `original` returns the YAML. */
  synthYaml(original: () => string): string;
  /** `App._synthChart(chart)` (and `chart.toJson()`): `original` returns the chart's objects as JSON. */
  synthChart(chart: Chart, original: () => any[]): any[];
}

/** What the wrapped entry points ask of the guard module. */
export interface GuardHooks {
  /** The guard of the App whose root is `root`, if it has one. */
  find(root: IConstruct): GuardedSynthesis | undefined;
  /** `Yaml.save(filePath, docs)`: true when the guard took the write (a guarded `app.synth()` buffers it). */
  save(filePath: string, docs: any[]): boolean;
  /** `Yaml.stringify(...docs)`: the text the guard wrote, or undefined to let cdk8s write it. */
  stringify(docs: any[]): string | undefined;
  /** After cdk8s wrote construct-metadata.json for a guarded App. */
  constructMetadataWritten(app: App, apiObjects: ApiObject[]): void;
}

/** Whether this copy of cdk8s has its entry points wrapped. */
export function isCdk8sPatched(): boolean {
  return (App.prototype as any)[PATCHED] === true;
}

/** Wrap cdk8s's synthesis entry points (once per loaded copy of cdk8s; later calls do nothing). */
export function patchCdk8sEntryPoints(hooks: GuardHooks): void {
  const appProto = App.prototype as any;
  if (appProto[PATCHED]) return;
  Object.defineProperty(appProto, PATCHED, { value: true });

  const synth = appProto.synth;
  appProto.synth = function (this: App): void {
    const guard = hooks.find(this.node.root);
    return guard ? guard.synth(this, () => synth.call(this)) : synth.call(this);
  };
  const synthYaml = appProto.synthYaml;
  appProto.synthYaml = function (this: App): string {
    const guard = hooks.find(this.node.root);
    return guard ? guard.synthYaml(() => synthYaml.call(this)) : synthYaml.call(this);
  };
  const appClass = App as any;
  const synthChart = appClass._synthChart;
  appClass._synthChart = function (this: any, chart: Chart): any[] {
    const guard = hooks.find(chart.node.root);
    return guard ? guard.synthChart(chart, () => synthChart.call(this, chart)) : synthChart.call(this, chart);
  };
  const writeConstructMetadata = appProto.writeConstructMetadata;
  if (typeof writeConstructMetadata === 'function') {
    appProto.writeConstructMetadata = function (this: App, apiObjects: ApiObject[]): void {
      writeConstructMetadata.call(this, apiObjects);
      if (hooks.find(this.node.root)) hooks.constructMetadataWritten(this, apiObjects);
    };
  }
  const yaml = Yaml as any;
  const save = yaml.save;
  yaml.save = function (this: any, filePath: string, docs: any[]): void {
    if (hooks.save(filePath, docs)) return;
    return save.call(this, filePath, docs);
  };
  const stringify = yaml.stringify;
  yaml.stringify = function (this: any, ...docs: any[]): string {
    const text = hooks.stringify(docs);
    return text !== undefined ? text : stringify.apply(this, docs);
  };
}
