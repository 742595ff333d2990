import { IRule, Severity, Stride } from '../../types';
import { checkImages, parseImage } from './image-ref';

export const imageRegistryAllowed: IRule = {
  id: 'image-registry-allowed',
  title: 'Images come from an allowed registry',
  stride: [Stride.SPOOFING, Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  description: 'Images from arbitrary registries bypass the organisation\'s scanning, signing and provenance controls. When ' +
    'the profile lists allowed registries, every image must start with one of them (prefix match on whole path segments; ' +
    'bare names like `nginx` mean docker.io/library/nginx).',
  remediation: 'Mirror the image into an allowed registry and reference it there, or add the registry to the profile\'s allowedRegistries.',
  references: ['NSA/CISA Kubernetes Hardening Guidance: use trusted registries', 'Kyverno policy: restrict-image-registries'],
  check(obj, ctx) {
    const allowed = ctx.settings.allowedRegistries;
    if (allowed.length === 0) return [];
    return checkImages(obj, (image, name) => {
      const ref = typeof image === 'string' ? parseImage(image).name : '';
      return allowed.some(a => ref.startsWith(`${a.replace(/\/+$/, '')}/`)) ? undefined
        : `container "${name}" image ${JSON.stringify(image)} (${ref}) is not from an allowed registry (${allowed.join(', ')}).`;
    });
  },
};
