import { containersOf, isUnresolved, POD_KINDS, podSpecOf } from '../../manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { parseImage } from './image-ref';

export const imageTagLatest: IRule = {
  id: 'image-tag-latest',
  title: 'Images do not use the latest tag (or no tag)',
  stride: [Stride.TAMPERING, Stride.DENIAL_OF_SERVICE],
  severity: Severity.ERROR,
  appliesTo: POD_KINDS,
  description: '`:latest` — or no tag, which means latest — changes on every push: rollbacks are impossible, nodes drift apart ' +
    'and an unreviewed image starts at the next reschedule. Images pinned by digest pass.',
  remediation: 'Pin a version tag, better a digest: registry/repository@sha256:<digest>.',
  references: ['Kubernetes docs: Images (avoid the :latest tag in production)', 'Polaris: tagNotSpecified'],
  check(obj) {
    const pod = podSpecOf(obj);
    if (!pod) return [];
    const out: RuleViolation[] = [];
    for (const c of containersOf(pod)) {
      const image = c.container.image;
      const path = `${c.path}.image`;
      if (isUnresolved(image)) { out.push({ path, message: `container "${c.name}" image is an unresolved token.`, unevaluable: true }); continue; }
      if (typeof image !== 'string' || image.trim() === '') { out.push({ path, message: `container "${c.name}" has no image.` }); continue; }
      const ref = parseImage(image);
      if (ref.digest) continue;
      if (!ref.tag || ref.tag === 'latest') out.push({ path, message: `container "${c.name}" image ${JSON.stringify(image)} ${ref.tag ? 'uses :latest' : 'has no tag (means :latest)'}.` });
    }
    return out;
  },
};
