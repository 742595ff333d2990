import { IRule, Severity, Stride } from '../../types';
import { checkImages, parseImage } from './image-ref';

export const imageTagLatest: IRule = {
  id: 'image-tag-latest',
  title: 'Images do not use the latest tag (or no tag)',
  stride: [Stride.TAMPERING, Stride.DENIAL_OF_SERVICE],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  description: '`:latest` — or no tag, which means latest — changes on every push: rollbacks are impossible, nodes drift apart ' +
    'and an unreviewed image starts at the next reschedule. Images pinned by digest pass.',
  remediation: 'Pin a version tag, better a digest: registry/repository@sha256:<digest>.',
  references: ['Kubernetes docs: Images (avoid the :latest tag in production)', 'Polaris: tagNotSpecified'],
  peers: ['kube-linter:latest-tag', 'polaris:tagNotSpecified', 'gatekeeper:general/disallowedtags', 'kyverno:best-practices/disallow-latest-tag'],
  threats: ['T1-tampered-image'],
  check(obj) {
    return checkImages(obj, (image, name) => {
      if (typeof image !== 'string' || image.trim() === '') return `container "${name}" has no image.`;
      const ref = parseImage(image);
      if (ref.digest || (ref.tag && ref.tag !== 'latest')) return undefined;
      return `container "${name}" image ${JSON.stringify(image)} ${ref.tag ? 'uses :latest' : 'has no tag (means :latest)'}.`;
    });
  },
};
