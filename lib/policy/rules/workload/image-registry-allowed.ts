import { containersOf, isUnresolved, POD_KINDS, podSpecOf } from '../../manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { parseImage } from './image-ref';

export const imageRegistryAllowed: IRule = {
  id: 'image-registry-allowed',
  title: 'Images come from an allowed registry',
  stride: [Stride.SPOOFING, Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: POD_KINDS,
  description: 'Images from arbitrary registries bypass the organisation\'s scanning, signing and provenance controls. When ' +
    'the profile lists allowed registries, every image must start with one of them (prefix match on whole path segments; ' +
    'bare names like `nginx` mean docker.io/library/nginx).',
  remediation: 'Mirror the image into an allowed registry and reference it there, or add the registry to the profile\'s allowedRegistries.',
  references: ['NSA/CISA Kubernetes Hardening Guidance: use trusted registries', 'Kyverno policy: restrict-image-registries'],
  check(obj, ctx) {
    const allowed = ctx.settings.allowedRegistries;
    if (allowed.length === 0) return [];
    const pod = podSpecOf(obj);
    if (!pod) return [];
    const out: RuleViolation[] = [];
    for (const c of containersOf(pod)) {
      const image = c.container.image;
      const path = `${c.path}.image`;
      if (isUnresolved(image)) { out.push({ path, message: `container "${c.name}" image is an unresolved token.`, unevaluable: true }); continue; }
      const name = typeof image === 'string' ? parseImage(image).name : '';
      const ok = allowed.some(a => name.startsWith(`${a.replace(/\/+$/, '')}/`));
      if (!ok) out.push({ path, message: `container "${c.name}" image ${JSON.stringify(image)} (${name}) is not from an allowed registry (${allowed.join(', ')}).` });
    }
    return out;
  },
};
