import * as fs from 'fs';
import { kubeMinor, KUBE_VERSIONS_TEXT } from '../kube/kube-version';
import { pssMinor, PSS_VERSIONS_TEXT } from '../kube/pss-versions';
import { constructMetadataKey } from '../policy/construct-metadata';
import { Finding, PssLevel } from '../policy/types';
import { checkObjects, displayName, LocatedFinding } from './check';
import { resolveRun } from './check-command';
import { displayPath } from './config';
import { appendAll, InputError, LoadedObject, parseSource, readInputFile } from './input';
import { RuleExclusion } from './selection';

/**
 * Properties of the cdk8s.yaml validation plugin (the `properties:` of its `validations:` entry).
 * Every field is optional; defaults are the library defaults.
 */
export interface HardenedValidationProps {
  /**
   * Only the Pod Security Standards controls of this level (`baseline` | `restricted`).
   * @default - the whole catalogue
   */
  readonly level?: string;
  /**
   * Registries images may come from.
   * @default - any registry (DEFAULT_PROFILE)
   */
  readonly allowedRegistries?: string[];
  /**
   * Require images pinned by `@sha256:` digest.
   * @default true (DEFAULT_PROFILE)
   */
  readonly requireDigest?: boolean;
  /**
   * Delete the synthesized manifests when a blocking finding fails the validation, so that no insecure manifest is
   * left in the output directory for a CD system to pick up (`cdk8s synth --stdout` has printed them already).
   * @default true
   */
  readonly removeBlockedManifests?: boolean;
  /**
   * Pod Security Standards version the PSS rules judge by (`v1.28` … `v1.36`, `latest`); use your profile's podSecurityVersion.
   * @default - follows kubeVersion (`v1.<minor>`), as the HardeningProfile does
   */
  readonly podSecurityVersion?: string;
  /**
   * Configuration file (`.cdk8s-hardened.yaml` format; relative to the working directory of `cdk8s synth`). Its
   * settings apply under these properties (a property set here wins). `''`: use no configuration file.
   * @default - `.cdk8s-hardened.yaml` in the working directory or the closest directory above it, if any
   */
  readonly config?: string;
  /**
   * Kubernetes version the manifests are for (`1.28` … `1.36`, `latest`); use your profile's kubeVersion, so the plugin
   * and the guard judge the same bytes the same way. Decides the served apiVersions/kinds.
   * @default - the configuration file's, else '1.36' (the newest supported)
   */
  readonly kubeVersion?: string;
  /**
   * Longest a waiver may run, in days; a longer waiver fails the validation (unbounded waivers are silent overrides).
   * @default 90 (DEFAULT_PROFILE)
   */
  readonly maxWaiverDays?: number;
  /**
   * Most replicas a workload (or a HorizontalPodAutoscaler's maxReplicas) may ask for (`profile-maximums`), so a typo or
   * a runaway autoscaler cannot exhaust the cluster (DoS). Use your profile's value, so plugin and guard agree.
   * @default - the configuration file's, else no maximum
   */
  readonly maxReplicas?: number;
  /**
   * Largest CPU request or limit of one container (`profile-maximums`), e.g. `4` or `1500m`: one container cannot claim a node.
   * @default - the configuration file's, else no maximum
   */
  readonly maxContainerCpu?: string;
  /**
   * Largest memory request or limit of one container (`profile-maximums`), e.g. `8Gi`.
   * @default - the configuration file's, else no maximum
   */
  readonly maxContainerMemory?: string;
  /**
   * Lowest severity that fails the validation: `error`, `warning` or `info`.
   * @default 'error' — warnings are reported, not blocking
   */
  readonly failOn?: string;
  /**
   * Only these rules, plus the rules that cannot be waived.
   * @default - every rule
   */
  readonly include?: string[];
  /**
   * Rules left out, each with a reason of at least 20 characters (the waiver and token rules cannot be excluded).
   * @default - none: every rule runs
   */
  readonly exclude?: RuleExclusion[];
  /**
   * Rule id -> severity: raise any rule, or move one between warning and info; an error rule is never lowered.
   * @default - the catalogue's severities
   */
  readonly severityOverrides?: { [rule: string]: string };
  /**
   * Waivers file for manifests you do not own (see docs/guides/cli.md).
   * @default - none
   */
  readonly waivers?: string;
  /**
   * Baseline file: its findings do not fail the validation.
   * @default - none: every finding counts
   */
  readonly baseline?: string;
}

/** The parts of cdk8s-cli's ValidationContext the plugin uses (structural, so cdk8s-cli stays a dev dependency). */
export interface PluginContext {
  readonly manifests: readonly string[];
  readonly report: {
    addViolation(v: {
      ruleName: string;
      recommendation: string;
      fix: string;
      violatingResources: { resourceName: string; locations: string[]; manifestPath: string }[];
    }): void;
    submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
  };
  readonly logger: { log(message: string): void };
  /**
   * Construct metadata cdk8s-cli read from construct-metadata.json (the object its report looks `resourceName` up in).
   * When it holds the guard's unique `<apiVersion>/<kind>/<namespace>/<name>` key of a violating object, the plugin
   * reports that key as `resourceName`, so the report names that object's construct rather than the last construct
   * whose object has the same `metadata.name`.
   * @default - no metadata: resources are reported by metadata.name
   */
  readonly metadata?: { readonly [key: string]: { readonly path?: string } | undefined };
}

/**
 * cdk8s validation plugin: runs the cdk8s-hardened catalogue on every synthesized manifest during
 * `cdk8s synth`, including charts that hold no library construct (which the synth Guard does not see).
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-hardened/bin/cdk8s-hardened.js
 *     version: 0.1.0
 *     class: HardenedValidation
 * ```
 */
export class HardenedValidation {
  private readonly props: HardenedValidationProps;

  constructor(props: HardenedValidationProps = {}) {
    if (props.level !== undefined && props.level !== PssLevel.BASELINE && props.level !== PssLevel.RESTRICTED) {
      throw new Error(`cdk8s-hardened validation plugin: properties.level=${JSON.stringify(props.level)} must be "baseline" or "restricted" (or unset for the whole catalogue).`);
    }
    if (props.podSecurityVersion !== undefined && pssMinor(props.podSecurityVersion) === undefined) {
      throw new Error(`cdk8s-hardened validation plugin: properties.podSecurityVersion=${JSON.stringify(props.podSecurityVersion)} must be ${PSS_VERSIONS_TEXT}.`);
    }
    if (props.kubeVersion !== undefined && kubeMinor(props.kubeVersion) === undefined) {
      throw new Error(`cdk8s-hardened validation plugin: properties.kubeVersion=${JSON.stringify(props.kubeVersion)} must be ${KUBE_VERSIONS_TEXT}.`);
    }
    this.props = props;
  }

  public async validate(context: PluginContext): Promise<void> {
    const cwd = process.cwd();
    // The properties are the `check` flags under their config-file names; the configuration file fills in the rest.
    const p = this.props;
    let run: ReturnType<typeof resolveRun>;
    try {
      run = resolveRun({
        config: p.config === '' ? false : p.config,
        level: p.level, allowedRegistries: p.allowedRegistries, requireDigest: p.requireDigest,
        podSecurityVersion: p.podSecurityVersion, kubeVersion: p.kubeVersion,
        maxWaiverDays: p.maxWaiverDays !== undefined ? String(p.maxWaiverDays) : undefined, failOn: p.failOn, include: p.include,
        maxReplicas: p.maxReplicas, maxContainerCpu: p.maxContainerCpu, maxContainerMemory: p.maxContainerMemory,
        exclude: p.exclude?.map(e => `${e.rule}=${e.reason}`),
        severityOverrides: p.severityOverrides ? Object.entries(p.severityOverrides).map(([k, v]) => `${k}=${v}`) : undefined,
        waivers: p.waivers, baseline: p.baseline,
      }, { cwd, stdout: () => {}, stderr: m => context.logger.log(m.trimEnd()), readStdin: async () => Buffer.alloc(0) });
    } catch (e) {
      const msg = (e as Error).message;
      context.logger.log(`cdk8s-hardened: bad configuration: ${msg}`);
      context.report.addViolation({ ruleName: 'configuration', recommendation: msg, fix: 'Fix the plugin properties or the configuration file.', violatingResources: [] });
      context.report.submit('failure', { error: msg });
      return;
    }
    const configName = run.config ? displayPath(run.config.file, cwd) : undefined;
    context.logger.log(`cdk8s-hardened: configuration: ${configName ?? 'none (plugin properties and library defaults)'}`);
    // The version the manifests are read for: the property, else the configuration file's, else the newest.
    const kubeVersion = `1.${kubeMinor(run.options.kubeVersion ?? this.props.kubeVersion ?? 'latest')}`;
    const objects: LoadedObject[] = [];
    try {
      for (const manifest of context.manifests) {
        if (!fs.existsSync(manifest)) continue;
        const name = displayName(manifest, cwd);
        appendAll(objects, parseSource(name, readInputFile(manifest, name), { kubeVersion }));
      }
    } catch (e) {
      const msg = e instanceof InputError ? e.message : (e as Error).message;
      context.logger.log(`cdk8s-hardened: bad input: ${msg}`);
      context.report.addViolation({
        ruleName: 'input', recommendation: msg, violatingResources: [],
        fix: `Fix the manifest so it is valid Kubernetes YAML for Kubernetes ${kubeVersion}, or set properties.kubeVersion to your cluster's version (${KUBE_VERSIONS_TEXT}).`,
      });
      if (this.props.removeBlockedManifests !== false) removeManifests(context);
      context.report.submit('failure', { error: msg });
      return;
    }
    const result = checkObjects(objects, run.options);
    const manifestOf = new Map<string, string>();
    for (const m of context.manifests) manifestOf.set(displayName(m, cwd), m);

    const byRule = new Map<string, LocatedFinding[]>();
    for (const f of result.findings) {
      if (!f.blocking) {
        if (!f.finding.waiver) context.logger.log(`cdk8s-hardened ${f.baselined ? 'baselined ' : ''}${f.finding.severity}: ${describe(f)}`);
        continue;
      }
      if (!byRule.has(f.finding.ruleId)) byRule.set(f.finding.ruleId, []);
      byRule.get(f.finding.ruleId)!.push(f);
    }
    for (const [ruleId, findings] of byRule) {
      const first: Finding = findings[0].finding;
      const resources = new Map<string, { resourceName: string; locations: string[]; manifestPath: string }>();
      for (const f of findings) {
        const key = `${f.file}#${f.finding.object.documentIndex}`;
        if (!resources.has(key)) {
          resources.set(key, { resourceName: resourceNameOf(f, context), locations: [], manifestPath: manifestOf.get(f.file) ?? f.file });
        }
        resources.get(key)!.locations.push(`${f.finding.path || '<object>'}${f.location ? ` (line ${f.location.line})` : ''}: ${f.finding.message}`);
      }
      context.report.addViolation({
        ruleName: `${ruleId}: ${first.title}`,
        recommendation: first.title,
        fix: first.remediation,
        violatingResources: [...resources.values()],
      });
    }
    if (byRule.size > 0 && this.props.removeBlockedManifests !== false) removeManifests(context);
    context.report.submit(byRule.size > 0 ? 'failure' : 'success', {
      objects: String(result.objects),
      rules: String(result.rules.length),
      blocking: String(result.blockingCount),
      config: configName ?? 'none',
    });
  }
}

/**
 * The `resourceName` to report: the object's unique construct-metadata key when the metadata holds it (written by the
 * guard, construct-metadata.ts), else its metadata.name (cdk8s's own key).
 */
function resourceNameOf(f: LocatedFinding, context: PluginContext): string {
  const o = f.finding.object;
  if (context.metadata && o.listItem === undefined) {
    const key = constructMetadataKey({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.name, namespace: o.namespace } });
    if (key !== undefined && Object.prototype.hasOwnProperty.call(context.metadata, key)) return key;
  }
  return o.name;
}

/** Remove every manifest of a blocked synthesis (the report names them; `cdk8s synth` exits non-zero). */
function removeManifests(context: PluginContext): void {
  for (const m of context.manifests) {
    try {
      fs.rmSync(m, { force: true });
    } catch {
      // already gone
    }
  }
  context.logger.log(`cdk8s-hardened: blocking findings: removed the ${context.manifests.length} synthesized manifest(s) so none is deployed.`);
}

function describe(f: LocatedFinding): string {
  const o = f.finding.object;
  return `${f.file}${f.location ? `:${f.location.line}` : ''} ${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name} at ${f.finding.path || '<object>'}: ${f.finding.ruleId} — ${f.finding.message}`;
}
