import { IRule, Severity, Stride } from '../../types';
import { checkImages, imageAllowedBy, parseImage } from './image-ref';

export const imageRegistryAllowed: IRule = {
  id: 'image-registry-allowed',
  title: 'Images come from an allowed registry',
  stride: [Stride.SPOOFING, Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  description: 'Images from arbitrary registries bypass the organisation\'s scanning, signing and provenance controls. When ' +
    'the profile lists allowed registries, every image must come from one of them. An entry is a registry host (port ' +
    'included), a path in a registry, or a repository (`docker.io/library/ubuntu`, `<account>.dkr.ecr.<region>.amazonaws.com/postgres`); ' +
    'entries and images are normalised as Docker and containerd do (`ubuntu` is docker.io/library/ubuntu; hosts are ' +
    'compared as written — `index.docker.io` or `Docker.IO` must be listed to be allowed, fail closed) and matched on whole path segments, so `docker.io/library/ubuntu` ' +
    'covers `ubuntu:22.04` but not `ubuntu-evil`; an entry with a tag or digest covers only that one. A malformed image ' +
    'reference is never allowed. CRI-O resolves short names through its unqualified-search-registries: write images fully ' +
    'qualified on CRI-O nodes.',
  remediation: 'Mirror the image into an allowed registry and reference it there, or add the registry to the profile\'s allowedRegistries.',
  references: ['NSA/CISA Kubernetes Hardening Guidance: use trusted registries', 'Kyverno policy: restrict-image-registries', 'github.com/distribution/reference (image reference grammar and normalisation)'],
  peers: ['gatekeeper:general/allowedrepos', 'gatekeeper:general/allowedreposv2', 'gatekeeper:general/disallowedrepos',
    'kyverno:best-practices/restrict-image-registries'],
  threats: ['S2-impersonated-peer', 'T1-tampered-image'],
  check(obj, ctx) {
    const allowed = ctx.settings.allowedRegistries;
    if (allowed.length === 0) return [];
    return checkImages(obj, (image, name) => {
      if (typeof image === 'string' && allowed.some(a => imageAllowedBy(image, a))) return undefined;
      const ref = typeof image === 'string' ? parseImage(image) : undefined;
      const what = ref === undefined ? 'is not a string' : ref.valid ? `(${ref.name})` : '(not a valid image reference)';
      return `container "${name}" image ${JSON.stringify(image)} ${what} is not from an allowed registry (${allowed.join(', ')}).`;
    });
  },
};
