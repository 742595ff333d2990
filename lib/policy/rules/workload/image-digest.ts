import { IRule, Severity, Stride } from '../../types';
import { checkImages, DIGEST_RE, parseImage } from './image-ref';

export const imageDigest: IRule = {
  id: 'image-digest',
  title: 'Images are pinned by sha256 digest',
  stride: [Stride.TAMPERING, Stride.SPOOFING],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  description: 'A tag is a movable pointer: whoever can push to the repository (or spoof the registry) decides what runs, and ' +
    'two nodes may run different code under the same tag. A `@sha256:` digest is content-addressed: what runs is what was ' +
    'reviewed and scanned. Applies when the profile requires digests (the default).',
  remediation: 'Reference images as registry/repository@sha256:<64 hex> (e.g. resolve the tag with `crane digest` in CI), or set ' +
    'requireDigest: false on the HardeningProfile for development charts.',
  references: ['NSA/CISA Kubernetes Hardening Guidance: use immutable image references', 'SLSA: pin dependencies by digest'],
  peers: ['gatekeeper:general/imagedigests'],
  threats: ['T1-tampered-image'],
  check(obj, ctx) {
    if (!ctx.settings.requireDigest) return [];
    return checkImages(obj, (image, name) => {
      const digest = typeof image === 'string' ? parseImage(image).digest : undefined;
      return digest && DIGEST_RE.test(digest) ? undefined : `container "${name}" image ${JSON.stringify(image)} is not pinned by sha256 digest.`;
    });
  },
};
