import * as path from 'path';
import { Catalogue } from '../policy/catalogue';
import { evaluateEach, EvaluatedObject, isBlocking, isWaivable, objectRefOf } from '../policy/engine';
import { DEFAULT_KUBE_VERSION, pssVersionFor } from '../policy/kube-version';
import { DEFAULT_PROFILE } from '../policy/profile';
import { Finding, IRule, PolicySettings, PssLevel } from '../policy/types';
import { todayUtc } from '../policy/waiver-record';
import { LoadedObject, locate, Location } from './input';

/** Options of one check run (the CLI flags, resolved). */
export interface CheckOptions {
  /** Only the Pod Security Standards controls of this level, plus the unwaivable rules (see rulesFor). Default: the whole catalogue. */
  readonly level?: PssLevel;
  /** Default: DEFAULT_PROFILE.allowedRegistries (any registry). */
  readonly allowedRegistries?: string[];
  /** Default: DEFAULT_PROFILE.requireDigest (true). */
  readonly requireDigest?: boolean;
  /** Pod Security Standards version the PSS rules judge by (`v1.28` … `v1.34`, `latest`). Default: follows kubeVersion. */
  readonly podSecurityVersion?: string;
  /** Kubernetes version the manifests are for (`1.28` … `1.36`, `latest`). Default: DEFAULT_KUBE_VERSION (1.36). */
  readonly kubeVersion?: string;
  /** Default: today (UTC). */
  readonly today?: string;
}

/** A finding with where it is in the input. */
export interface LocatedFinding {
  readonly finding: Finding;
  readonly location?: Location;
  /** Source name (relative path or `<stdin>`). */
  readonly file: string;
  readonly blocking: boolean;
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
    maxWaiverDays: DEFAULT_PROFILE.maxWaiverDays,
  };
}

/** Counts of a streamed check; complete once its findings have been iterated. */
export interface CheckCounts {
  findings: number;
  blocking: number;
  waived: number;
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
}

/**
 * Evaluate objects against the catalogue, streaming. Objects are evaluated together, so cross-object rules
 * (NetworkPolicy coverage, RBAC references) see all of them; Pod Security rules judge each pod alone. Findings are
 * produced per object and located (line/column) only then, so memory does not grow with the number of findings.
 */
export function streamCheck(objects: LoadedObject[], options: CheckOptions = {}): CheckStream {
  const rules = rulesFor(options.level);
  const settings = settingsFor(options);
  const counts: CheckCounts = { findings: 0, blocking: 0, waived: 0 };
  const today = options.today ?? todayUtc();
  function* findings(): Generator<LocatedFinding> {
    const items: EvaluatedObject[] = objects.map(o => ({
      object: o.object,
      ref: objectRefOf(o.object, { file: o.source.name, documentIndex: o.documentIndex }),
    }));
    const byRef = new Map<any, number>();
    items.forEach((item, i) => byRef.set(item.ref, i));
    for (const perObject of evaluateEach(items, { rules, knownRules: Catalogue.all(), settings, today, adopt: true })) {
      for (const f of perObject) {
        const o = byRef.get(f.object);
        const b = isBlocking(f);
        counts.findings++;
        if (b) counts.blocking++;
        if (f.waiver) counts.waived++;
        const location: Location | undefined = o !== undefined ? locate(objects[o], f.path) : undefined;
        yield { finding: f, location, file: f.object.file ?? '', blocking: b };
      }
    }
  }
  return { rules, settings, level: options.level, objects: objects.length, findings: findings(), counts };
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
