import { DEFAULT_KUBE_VERSION, kubeMinor } from '../../../kube/kube-version';
import { checkPods, containersOf, ContainerRef, isUnresolved, isWindowsPod, NONE, podSpecsOf, PodSpecRef } from '../../../kube/manifest';
import { NEWEST_PSS_MINOR, OLDEST_PSS_MINOR, pssMinor, PSS_VERSIONS_TEXT, USER_NAMESPACE_RELAXATION_SINCE } from '../../../kube/pss-versions';
import { IRule, PolicySettings, PssLevel, RuleContext, RuleViolation, Severity, Stride } from '../../types';

/** Fields of a PSS rule definition besides its check. */
export interface PssRuleMeta {
  readonly id: string;
  readonly title: string;
  readonly stride: Stride[];
  readonly level: PssLevel;
  readonly control: string;
  readonly description: string;
  readonly remediation: string;
  readonly extraReferences?: string[];
  /** Restricted controls that Kubernetes marks "Linux only" skip pods with spec.os.name: windows. */
  readonly linuxOnly?: boolean;
  /**
   * First Pod Security Standards minor version with this control (e.g. 34 for v1.34); older versions pass.
   * @default - every supported version
   */
  readonly since?: number;
  /** The peer checks the rule covers (IRule `peers`). */
  readonly peers: string[];
  /** The threats the rule's findings count against (IRule `threats`). */
  readonly threats: string[];
}

/**
 * Build a PSS rule from a check over each pod spec of an object (manifest.ts `podSpecsOf`: any kind). The check gets the minor version whose controls apply
 * (ctx.settings.podSecurityVersion: `v1.28` … `v1.36`, `latest` = the newest); any other version value makes the
 * rule unevaluable (reported and blocking), never silently judged by another version's controls.
 */
export function pssRule(meta: PssRuleMeta, check: (pod: PodSpecRef, obj: any, ctx: RuleContext, minor: number) => RuleViolation[]): IRule {
  const versions = meta.since !== undefined ? `v1.${meta.since}+` : `v1.${OLDEST_PSS_MINOR}-v1.${NEWEST_PSS_MINOR}`;
  return {
    id: meta.id,
    title: meta.title,
    stride: meta.stride,
    severity: Severity.ERROR,
    appliesTo: ['*'],
    pssLevel: meta.level,
    description: meta.description,
    remediation: meta.remediation,
    references: [`Pod Security Standards ${versions} ${meta.level}: ${meta.control}`, ...(meta.extraReferences ?? [])],
    peers: meta.peers,
    threats: meta.threats,
    check(obj, ctx) {
      // Most objects hold no pod (ConfigMaps, Services...): answer before making the per-pod check.
      if (podSpecsOf(obj).length === 0) return NONE;
      const minor = pssMinor(ctx.settings.podSecurityVersion);
      return checkPods(obj, pod => {
        if (minor === undefined) return [unsupportedVersion(pod.path, ctx.settings.podSecurityVersion)];
        if (meta.since !== undefined && minor < meta.since) return [];
        if (meta.linuxOnly && isWindowsPod(pod)) return [];
        return check(pod, obj, ctx, minor);
      });
    },
  };
}

/** Run a per-container check over containers, initContainers and ephemeralContainers. */
export function eachContainer(pod: PodSpecRef, check: (c: ContainerRef) => RuleViolation | RuleViolation[] | undefined): RuleViolation[] {
  // Most containers pass: the list is made on the first finding (callers read the shared empty one, never append to it).
  let out: RuleViolation[] | undefined;
  const containers = containersOf(pod);
  for (let i = 0; i < containers.length; i++) {
    const r = check(containers[i]);
    if (!r) continue;
    if (!Array.isArray(r)) (out ??= []).push(r);
    else if (r.length > 0) (out ??= []).push(...r);
  }
  return out ?? NONE;
}

/** A violation, or an unevaluable one when the value is a token. */
export function violation(path: string, value: unknown, message: string): RuleViolation {
  return isUnresolved(value) ? { path, message: `value at ${path} is an unresolved token.`, unevaluable: true } : { path, message };
}

/** The finding of a PSS rule asked to judge by a version the catalogue does not implement. */
export function unsupportedVersion(path: string, version: unknown): RuleViolation {
  return {
    path,
    message: `podSecurityVersion ${JSON.stringify(version)} is not a Pod Security Standards version this catalogue implements ` +
      `(${PSS_VERSIONS_TEXT}); not judged.`,
    unevaluable: true,
  };
}

/**
 * Whether the user-namespace relaxation (versions.ts USER_NAMESPACE_RELAXATION_SINCE) is in force for these settings:
 * the Pod Security Standards version is v1.35 or later AND the Kubernetes version the objects are for is 1.35 or later
 * (an older release judges a v1.35 label by its own newest checks, without the relaxation). A `kubeVersion` that is
 * not a supported value never relaxes.
 */
export function userNamespaceRelaxationInForce(minor: number, settings: PolicySettings): boolean {
  const kube = kubeMinor(settings.kubeVersion ?? DEFAULT_KUBE_VERSION);
  return minor >= USER_NAMESPACE_RELAXATION_SINCE && kube !== undefined && kube >= USER_NAMESPACE_RELAXATION_SINCE;
}

/**
 * Whether a pod is exempt from runAsNonRoot, runAsUser and the baseline procMount control: the relaxation is in force
 * and the pod spec sets `hostUsers` to exactly the boolean false (pod-security-admission helpers.go
 * `relaxPolicyForUserNamespacePod`). A string "false", 0, null, an unresolved token or an absent field never relaxes.
 * Only a real PodSpec (`shape: 'pod'`) relaxes: in a fragment a controller merges into the pods it builds (an Argo
 * Workflows template, a Tekton pod template, a lone container of a custom resource) a `hostUsers` field may never
 * reach the pod, and the pod would run as root in the node's user namespace.
 */
export function inUserNamespace(pod: PodSpecRef, minor: number, settings: PolicySettings): boolean {
  return pod.shape === 'pod' && pod.spec.hostUsers === false && userNamespaceRelaxationInForce(minor, settings);
}
