import { IRule, Severity, Stride } from '../../types';
import { checkImages } from '../workload/image-ref';
import { sigstoreGlobMatch } from './sigstore-glob';

/** The namespace label policy-controller requires before it enforces anything in a namespace. */
export const SIGSTORE_INCLUDE_LABEL = 'policy.sigstore.dev/include';

const isPolicy = (o: any) => o?.kind === 'ClusterImagePolicy' && typeof o?.apiVersion === 'string' && o.apiVersion.startsWith('policy.sigstore.dev/');

/** The globs of enforcing ClusterImagePolicies that name at least one authority. */
function enforcedGlobs(objects: readonly any[]): string[] {
  return objects.filter(isPolicy)
    .filter(p => (p?.spec?.mode ?? 'enforce') === 'enforce' && Array.isArray(p?.spec?.authorities) && p.spec.authorities.length > 0)
    .flatMap(p => (Array.isArray(p.spec.images) ? p.spec.images : []).map((i: any) => i?.glob).filter((g: unknown): g is string => typeof g === 'string'));
}

export const imageSignatureRequired: IRule = {
  id: 'image-signature-required',
  title: 'Every workload image is covered by an enforcing signature policy (when the profile requires signatures)',
  stride: [Stride.TAMPERING, Stride.SPOOFING],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  description: 'A pinned digest proves which bytes run, not who built them: a registry or CI compromise pushes a new ' +
    'digest that the next deploy pins. With requireImageSignatures in the profile, each container image (every pod ' +
    'carrier) must be matched by a Sigstore policy-controller ClusterImagePolicy of the evaluated set that names an ' +
    'authority (key or keyless identity) and is in enforce mode (mode: warn only logs). Globs are matched as the ' +
    'controller matches them (index.docker.io, library/, :latest, `*` within a segment, `**` across). policy-controller ' +
    `only acts in namespaces labelled ${SIGSTORE_INCLUDE_LABEL}: "true": a workload whose Namespace is in the set without ` +
    'that label fails too.',
  remediation: 'Add an ImageSignaturePolicy (ClusterImagePolicy per trusted signer of the profile) whose globs cover the ' +
    `image, and label the namespace ${SIGSTORE_INCLUDE_LABEL}: "true".`,
  references: ['Sigstore policy-controller: ClusterImagePolicy', 'SLSA / seed: supply chain — require signed images', 'NSA/CISA Kubernetes Hardening Guidance: image provenance'],
  peers: [],
  threats: ['T1-tampered-image', 'T4-supply-chain'],
  admission: { notGenerated: 'cross-object: needs the ClusterImagePolicies (policy-controller itself verifies signatures at admission)' },
  check(obj, ctx) {
    if (!ctx.settings.requireImageSignatures) return [];
    const globs = enforcedGlobs(ctx.objects);
    const nsName = obj?.metadata?.namespace;
    const ns = typeof nsName === 'string' ? ctx.objects.find(o => o?.kind === 'Namespace' && o?.apiVersion === 'v1' && o?.metadata?.name === nsName) : undefined;
    const unlabelled = ns !== undefined && ns?.metadata?.labels?.[SIGSTORE_INCLUDE_LABEL] !== 'true';
    return checkImages(obj, (image, name) => {
      if (typeof image !== 'string') return `container "${name}" image ${JSON.stringify(image)} is not a string.`;
      const covered = globs.some(g => sigstoreGlobMatch(g, image));
      if (!covered) return `container "${name}" image ${JSON.stringify(image)} is covered by no enforcing ClusterImagePolicy: its signature is never verified.`;
      if (unlabelled) return `container "${name}" runs in namespace "${nsName}", which lacks ${SIGSTORE_INCLUDE_LABEL}: "true": policy-controller verifies nothing there.`;
      return undefined;
    });
  },
};
