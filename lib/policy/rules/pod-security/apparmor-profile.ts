import { PssLevel, RuleViolation, Stride } from '../../types';
import { pssRule, violation } from './util';

const PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

export const apparmorProfile = pssRule({
  id: 'apparmor-profile',
  title: 'AppArmor is not disabled or overridden',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  level: PssLevel.BASELINE,
  control: 'AppArmor',
  description: 'On AppArmor hosts the runtime default profile confines containers; `unconfined` (or any non-local custom ' +
    'profile reference) removes that confinement. In v1.28 the profile is set by pod annotations.',
  remediation: `Remove ${PREFIX}<container> annotations or set them to runtime/default or localhost/<profile>.`,
}, pod => {
  const out: RuleViolation[] = [];
  for (const [k, v] of Object.entries<any>(pod.metadata?.annotations ?? {})) {
    if (!k.startsWith(PREFIX)) continue;
    if (v === '' || v === 'runtime/default' || (typeof v === 'string' && v.startsWith('localhost/'))) continue;
    out.push(violation(`${pod.metadataPath}.annotations["${k}"]`, v, `AppArmor profile ${JSON.stringify(v)} for container "${k.slice(PREFIX.length)}".`));
  }
  return out;
});
