import * as path from 'path';
import { DEFAULT_KUBE_VERSION, pssVersionFor } from '../kube/kube-version';
import { Catalogue } from '../policy/catalogue';
import { adoptOwnFrozen, evaluateEach, EvaluatedObject, isWaivable, objectRefOf, ownFrozenCopy } from '../policy/engine';
import { hasOwn } from '../policy/own';
import { DEFAULT_PROFILE } from '../policy/profile';
import { Finding, IRule, Outcome, PolicySettings, PssLevel, Severity } from '../policy/types';
import { todayUtc, WAIVER_ANNOTATION } from '../policy/waiver-record';
import { Baseline, BaselineEntry, fingerprintOf, objectDigest } from './baseline';
import { LoadedObject, locate, Location } from './input';
import { RuleExclusion, selectRules, severityRank } from './selection';
import { ExternalWaiver, inject, Injected, selects } from './waivers-file';

/** Options of one check run (the CLI flags, resolved). */
export interface CheckOptions {
  /** Only the Pod Security Standards controls of this level, plus the unwaivable rules (see rulesFor). Default: the whole catalogue. */
  readonly level?: PssLevel;
  /** Default: DEFAULT_PROFILE.allowedRegistries (any registry). */
  readonly allowedRegistries?: string[];
  /** Default: DEFAULT_PROFILE.requireDigest (true). */
  readonly requireDigest?: boolean;
  /** Pod Security Standards version the PSS rules judge by (`v1.28` … `v1.36`, `latest`). Default: follows kubeVersion. */
  readonly podSecurityVersion?: string;
  /** Kubernetes version the manifests are for (`1.28` … `1.36`, `latest`). Default: DEFAULT_KUBE_VERSION (1.36). */
  readonly kubeVersion?: string;
  /** Default: today (UTC). */
  readonly today?: string;
  /** Longest a waiver may run, in days. Default: DEFAULT_PROFILE.maxWaiverDays (90). */
  readonly maxWaiverDays?: number;
  /** Lowest severity that fails the run. Default: error. */
  readonly failOn?: Severity;
  /** Most replicas a workload may ask for (`profile-maximums`). Default: no maximum. */
  readonly maxReplicas?: number;
  /** Largest CPU request or limit of one container (`profile-maximums`). Default: no maximum. */
  readonly maxContainerCpu?: string;
  /** Largest memory request or limit of one container (`profile-maximums`). Default: no maximum. */
  readonly maxContainerMemory?: string;
  /** Only these rules, plus the rules that cannot be waived. Default: every rule of the level. */
  readonly include?: readonly string[];
  /** Rules left out, each with a reason. */
  readonly exclude?: readonly RuleExclusion[];
  /** Rule id -> severity (raise, or move between warning and info; see selectRules). */
  readonly severityOverrides?: { readonly [rule: string]: string };
  /** Where include/exclude/severityOverrides came from (for messages). */
  readonly selectionSource?: string;
  /** Waivers kept outside the manifests (`--waivers FILE`, config `waivers`). */
  readonly waivers?: readonly ExternalWaiver[];
  /** Findings already accepted: they do not fail the run and are listed apart. */
  readonly baseline?: Baseline;
  /** Collect the entries of a new baseline here (`--write-baseline`). */
  readonly recordBaseline?: BaselineEntry[];
}

/** A finding with where it is in the input. */
export interface LocatedFinding {
  readonly finding: Finding;
  readonly location?: Location;
  /** Source name (relative path or `<stdin>`). */
  readonly file: string;
  /** Fails the run: failing or unevaluable, at or above the fail-on severity, neither waived nor baselined. */
  readonly blocking: boolean;
  /** Stable identity (rule, object, path): the baseline key and SARIF partial fingerprint. */
  readonly fingerprint: string;
  /** In the baseline (on an unchanged object): reported apart, never failing. */
  readonly baselined?: boolean;
}

/**
 * A LocatedFinding as streamCheck hands it out: its fingerprint is built when read (text output never reads it, and a
 * large input streams millions of findings). `baselined` is an own property only when true.
 */
class Located implements LocatedFinding {
  public readonly baselined?: boolean;

  constructor(public readonly finding: Finding, public readonly file: string, public readonly location: Location | undefined,
    public readonly blocking: boolean, baselined: boolean) {
    if (baselined) this.baselined = true;
  }

  public get fingerprint(): string {
    return fingerprintOf(this.finding);
  }
}

/** An input (file, document) that could not be read; the other inputs are still checked. */
export interface InputErrorEntry {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

export interface CheckResult {
  /** Inputs that could not be read (exit code 2 even when the other inputs are clean). */
  readonly inputErrors?: readonly InputErrorEntry[];
  readonly rules: IRule[];
  readonly settings: PolicySettings;
  readonly level?: PssLevel;
  readonly objects: number;
  readonly findings: LocatedFinding[];
  readonly blockingCount: number;
  readonly failOn?: Severity;
  readonly excluded?: readonly RuleExclusion[];
  readonly kubeVersion?: string;
  readonly baselineUsed?: boolean;
}

/**
 * The rules of a run: the whole catalogue, or the Pod Security Standards controls of one level plus the rules that
 * cannot be waived (waiver integrity, unresolved tokens), so an expired, unused or invalid waiver is reported at
 * every level.
 */
export function rulesFor(level: PssLevel | undefined): IRule[] {
  if (!level) return Catalogue.all();
  const pss = Catalogue.podSecurityRules(level);
  return [...pss, ...Catalogue.all().filter(r => !isWaivable(r) && !pss.includes(r))];
}

export function settingsFor(options: CheckOptions): PolicySettings {
  return {
    allowedRegistries: options.allowedRegistries && options.allowedRegistries.length > 0 ? options.allowedRegistries : DEFAULT_PROFILE.allowedRegistries,
    requireDigest: options.requireDigest ?? DEFAULT_PROFILE.requireDigest,
    podSecurityVersion: options.podSecurityVersion ?? pssVersionFor(options.kubeVersion),
    kubeVersion: options.kubeVersion ?? DEFAULT_KUBE_VERSION,
    maxWaiverDays: options.maxWaiverDays ?? DEFAULT_PROFILE.maxWaiverDays,
    ...(options.maxReplicas !== undefined ? { maxReplicas: options.maxReplicas } : {}),
    ...(options.maxContainerCpu !== undefined ? { maxContainerCpu: options.maxContainerCpu } : {}),
    ...(options.maxContainerMemory !== undefined ? { maxContainerMemory: options.maxContainerMemory } : {}),
  };
}

/** True when a finding fails a run that fails on `failOn` and above (waivers and the baseline aside). */
export function failsAt(f: Finding, failOn: Severity): boolean {
  return !hasOwn(f, 'waiver') && (f.outcome === Outcome.FAIL || f.outcome === Outcome.UNEVALUABLE) && severityRank(f.severity) >= severityRank(failOn);
}

/** Counts of a streamed check; complete once its findings have been iterated. */
export interface CheckCounts {
  findings: number;
  blocking: number;
  waived: number;
  baselined: number;
}

/** A check whose findings are judged, located and handed out one object at a time, as they are iterated. */
export interface CheckStream {
  readonly inputErrors?: readonly InputErrorEntry[];
  readonly rules: IRule[];
  readonly settings: PolicySettings;
  readonly level?: PssLevel;
  readonly objects: number;
  /** Iterate once: each object is judged when its turn comes, and nothing is kept after its findings are handed out. */
  readonly findings: Iterable<LocatedFinding>;
  readonly counts: CheckCounts;
  readonly failOn?: Severity;
  readonly excluded?: readonly RuleExclusion[];
  readonly kubeVersion?: string;
  readonly baselineUsed?: boolean;
}

const WAIVER_RULES = new Set(['waiver-expired', 'waiver-invalid', 'waiver-unused']);
const WAIVER_PATH = `metadata.annotations["${WAIVER_ANNOTATION}"]`;

/**
 * Evaluate objects against the catalogue, streaming. Objects are evaluated together, so cross-object rules
 * (NetworkPolicy coverage, RBAC references) see all of them; Pod Security rules judge each pod alone. Findings are
 * produced per object and located (line/column) only then, so memory does not grow with the number of findings.
 */
export function streamCheck(loaded: LoadedObject[], options: CheckOptions = {}): CheckStream {
  // Every object as a frozen copy without prototypes made fast to read (own.ts nullProto, engine.ts ownFrozenCopy): the
  // engine judges these in place, and every rule reads them many times.
  // Objects the scanner read so already (LoadedObject.ownFrozen) are taken as they are.
  const objects = loaded.map(o => ({ ...o, object: o.ownFrozen ? adoptOwnFrozen(o.object) : ownFrozenCopy(o.object) }));
  const rules = selectRules(rulesFor(options.level), {
    include: options.include, exclude: options.exclude, severityOverrides: options.severityOverrides, source: options.selectionSource,
  });
  const settings = settingsFor(options);
  const counts: CheckCounts = { findings: 0, blocking: 0, waived: 0, baselined: 0 };
  const today = options.today ?? todayUtc();
  const failOn = options.failOn ?? Severity.ERROR;
  const baseline = options.baseline;
  const record = options.recordBaseline;
  function* findings(): Generator<LocatedFinding> {
    // Waivers kept outside the manifests go into a copy of their object's annotation: the engine and the waiver rules
    // judge them exactly as annotations; their findings are then pointed back at the waivers file.
    const external = options.waivers ?? [];
    const injected: (Injected | undefined)[] = new Array(objects.length);
    const used = new Set<ExternalWaiver>();
    if (external.length > 0) {
      objects.forEach((o, i) => {
        const mine = external.filter(w => selects(w, o.object));
        if (mine.length === 0) return;
        for (const w of mine) used.add(w);
        // An object whose own annotation is not a JSON array keeps it (a waiver-invalid finding that blocks already).
        injected[i] = inject(o, mine);
      });
    }
    const items: EvaluatedObject[] = objects.map((o, i) => ({
      object: injected[i]?.object ?? o.object,
      ref: objectRefOf(o.object, { file: o.source.name, documentIndex: o.documentIndex }),
    }));
    const byRef = new Map<any, number>();
    items.forEach((item, i) => byRef.set(item.ref, i));
    const digests = new Map<number, string>();
    const digestOf = (i: number) => {
      let d = digests.get(i);
      if (d === undefined) digests.set(i, d = objectDigest(objects[i].object));
      return d;
    };
    const rulesById = new Map(Catalogue.all().map(r => [r.id, r]));
    const emit = (f: Finding, o: number | undefined, located: { file: string; location?: Location }): LocatedFinding => {
      const waived = hasOwn(f, 'waiver');
      // The fingerprint is built here only for the baseline; the formats that print it ask for it (Located).
      let baselined = false;
      if (o !== undefined && (record || baseline) && !waived && (f.outcome === Outcome.FAIL || f.outcome === Outcome.UNEVALUABLE) &&
        rulesById.get(f.ruleId)?.waivable !== false) {
        const fingerprint = fingerprintOf(f);
        if (record) {
          const ob = f.object;
          record.push({ fingerprint, object: digestOf(o), ruleId: f.ruleId, severity: f.severity, resource: `${ob.kind} ${ob.namespace ? `${ob.namespace}/` : ''}${ob.name}`, path: f.path });
        }
        if (baseline) baselined = baseline.take(fingerprint, digestOf(o));
      }
      const b = !baselined && failsAt(f, failOn);
      counts.findings++;
      if (b) counts.blocking++;
      if (waived) counts.waived++;
      if (baselined) counts.baselined++;
      return new Located(f, located.file, located.location, b, baselined);
    };
    for (const perObject of evaluateEach(items, { rules, knownRules: Catalogue.all(), settings, today, adopt: true })) {
      for (let f of perObject) {
        const o = byRef.get(f.object);
        let located: { file: string; location?: Location } | undefined;
        const inj = o !== undefined ? injected[o] : undefined;
        if (inj && WAIVER_RULES.has(f.ruleId) && f.path === WAIVER_PATH) {
          const m = /^waiver #(\d+)/.exec(f.message);
          const w = m ? inj.waivers[Number(m[1]) - inj.first] : undefined;
          if (w) {
            f = { ...f, message: `waiver in ${w.file}:${w.line}${f.message.slice(m![0].length)}` };
            located = { file: w.file, location: { line: w.line, column: 1 } };
          }
        }
        if (!located) located = { file: f.object.file ?? '', location: o !== undefined ? locate(objects[o], f.path) : undefined };
        yield emit(f, o, located);
      }
    }
    const unused = rulesById.get('waiver-unused')!;
    for (const w of external) {
      if (used.has(w)) continue;
      const sel = w.object;
      const f: Finding = {
        ruleId: unused.id, title: unused.title, severity: unused.severity, stride: unused.stride, outcome: Outcome.FAIL,
        object: { apiVersion: sel.apiVersion ?? '', kind: sel.kind, name: sel.name, ...(sel.namespace ? { namespace: sel.namespace } : {}), file: w.file },
        path: '',
        message: `waiver in ${w.file}:${w.line} for "${w.ruleId}" selects no object of the input (${sel.kind} ${sel.namespace ? `${sel.namespace}/` : ''}${sel.name}${sel.namespace ? '' : ', no namespace'}).`,
        remediation: unused.remediation,
      };
      yield emit(f, undefined, { file: w.file, location: { line: w.line, column: 1 } });
    }
  }
  return {
    rules, settings, level: options.level, objects: objects.length, findings: findings(), counts,
    failOn, excluded: options.exclude, kubeVersion: options.kubeVersion, baselineUsed: baseline !== undefined,
  };
}

/** Evaluate objects against the catalogue and keep every finding (see streamCheck). */
export function checkObjects(objects: LoadedObject[], options: CheckOptions = {}): CheckResult {
  return collect(streamCheck(objects, options));
}

/** The findings of a stream, kept. */
export function collect(stream: CheckStream): CheckResult {
  const findings = [...stream.findings];
  const { findings: _f, counts, ...rest } = stream;
  return { ...rest, findings, blockingCount: counts.blocking };
}

/** Display name of a file: relative to cwd when inside it, with forward slashes. */
export function displayName(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  const name = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  return name.split(path.sep).join('/');
}
