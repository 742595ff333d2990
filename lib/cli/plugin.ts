import * as fs from 'fs';
import { constructMetadataKey } from '../policy/construct-metadata';
import { kubeMinor, KUBE_VERSIONS_TEXT } from '../policy/kube-version';
import { pssMinor, PSS_VERSIONS_TEXT } from '../policy/rules/pod-security/versions';
import { Finding, PssLevel } from '../policy/types';
import { checkObjects, displayName, LocatedFinding } from './check';
import { appendAll, InputError, LoadedObject, parseSource, readInputFile } from './input';

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
   * Pod Security Standards version the PSS rules judge by (`v1.28` … `v1.34`, `latest`); use your profile's podSecurityVersion.
   * @default - follows kubeVersion (`v1.<minor>`, capped to v1.34), as the HardeningProfile does
   */
  readonly podSecurityVersion?: string;
  /**
   * Kubernetes version the manifests are for (`1.28` … `1.36`, `latest`); use your profile's kubeVersion, so the plugin
   * and the guard judge the same bytes the same way. Decides the served apiVersions/kinds.
   * @default '1.36' (the newest supported)
   */
  readonly kubeVersion?: string;
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

  /** The Kubernetes version judged by (`1.<minor>`). */
  private get kubeVersion(): string {
    return `1.${kubeMinor(this.props.kubeVersion ?? 'latest')}`;
  }

  public async validate(context: PluginContext): Promise<void> {
    const cwd = process.cwd();
    const objects: LoadedObject[] = [];
    try {
      for (const manifest of context.manifests) {
        if (!fs.existsSync(manifest)) continue;
        const name = displayName(manifest, cwd);
        appendAll(objects, parseSource(name, readInputFile(manifest, name), { kubeVersion: this.kubeVersion }));
      }
    } catch (e) {
      const msg = e instanceof InputError ? e.message : (e as Error).message;
      context.logger.log(`cdk8s-hardened: bad input: ${msg}`);
      context.report.addViolation({
        ruleName: 'input', recommendation: msg, violatingResources: [],
        fix: `Fix the manifest so it is valid Kubernetes YAML for Kubernetes ${this.kubeVersion}, or set properties.kubeVersion to your cluster's version (${KUBE_VERSIONS_TEXT}).`,
      });
      if (this.props.removeBlockedManifests !== false) removeManifests(context);
      context.report.submit('failure', { error: msg });
      return;
    }
    const result = checkObjects(objects, {
      level: this.props.level as PssLevel | undefined,
      allowedRegistries: this.props.allowedRegistries,
      requireDigest: this.props.requireDigest,
      podSecurityVersion: this.props.podSecurityVersion,
      kubeVersion: this.kubeVersion,
    });
    const manifestOf = new Map<string, string>();
    for (const m of context.manifests) manifestOf.set(displayName(m, cwd), m);

    const byRule = new Map<string, LocatedFinding[]>();
    for (const f of result.findings) {
      if (!f.blocking) {
        if (!f.finding.waiver) context.logger.log(`cdk8s-hardened ${f.finding.severity}: ${describe(f)}`);
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
