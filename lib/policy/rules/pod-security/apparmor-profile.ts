import { PssLevel, RuleViolation, Stride } from '../../types';
import { eachContainer, pssRule, violation } from './util';

const PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
/** securityContext.appArmorProfile.type values baseline allows (check_appArmorProfile.go allowedProfileType). */
const FIELD_OK = ['RuntimeDefault', 'Localhost'];

/** Annotation values baseline allows: empty, runtime/default, localhost/* (check_appArmorProfile.go allowedAnnotationValue). */
function annotationOk(v: unknown): boolean {
  return v === '' || v === 'runtime/default' || (typeof v === 'string' && v.startsWith('localhost/'));
}

function field(profile: unknown, path: string, who: string): RuleViolation[] {
  if (profile === undefined) return [];
  // Present but without an allowed type (`appArmorProfile: {}`, type Unconfined or any other spelling) fails, as in PSA,
  // which reads a missing type as "". A bare string instead of the object is not the field's shape: it fails too.
  const isObject = profile !== null && typeof profile === 'object' && !Array.isArray(profile);
  const type = isObject ? (profile as any).type : profile;
  if (isObject && typeof type === 'string' && FIELD_OK.includes(type)) return [];
  return [violation(`${path}.type`, type, `${who} sets appArmorProfile type ${JSON.stringify(type ?? null)}; must be RuntimeDefault or Localhost.`)];
}

export const apparmorProfile = pssRule({
  id: 'apparmor-profile',
  title: 'AppArmor is not disabled or overridden',
  stride: [Stride.ELEVATION_OF_PRIVILEGE],
  level: PssLevel.BASELINE,
  control: 'AppArmor',
  description: 'On AppArmor hosts the runtime default profile confines containers; `Unconfined` (or any profile that is neither ' +
    'the runtime default nor a profile loaded on the node) removes that confinement. Both spellings are judged at every version, ' +
    'as Pod Security admission does: the `securityContext.appArmorProfile` field (Kubernetes 1.30+) at pod level and on every ' +
    'container, initContainer and ephemeralContainer, and the `container.apparmor.security.beta.kubernetes.io/<container>` ' +
    'annotations. A container-level `Unconfined` is not excused by an annotation or a pod-level `RuntimeDefault`.',
  remediation: 'Set securityContext.appArmorProfile.type to RuntimeDefault (or Localhost with localhostProfile), or remove it; ' +
    `set ${PREFIX}<container> annotations to runtime/default or localhost/<profile>, or remove them.`,
  extraReferences: ['kubernetes/pod-security-admission policy/check_appArmorProfile.go'],
  peers: ['kubesec:ApparmorAny', 'kubesec:ApparmorUnconfined', 'gatekeeper:pod-security-policy/apparmor',
    'kyverno:pod-security/baseline/restrict-apparmor-profiles'],
  threats: ['E1-container-escape'],
}, pod => {
  const out: RuleViolation[] = [];
  const podProfile = pod.spec.securityContext?.appArmorProfile;
  if (podProfile !== undefined) out.push(...field(podProfile, `${pod.path}.securityContext.appArmorProfile`, 'pod'));
  // paths and names are built only for a container that sets the field (field() passes an unset one)
  out.push(...eachContainer(pod, c => {
    const profile = c.container.securityContext?.appArmorProfile;
    return profile === undefined ? undefined : field(profile, `${c.path}.securityContext.appArmorProfile`, `container "${c.name}"`);
  }));
  for (const [k, v] of Object.entries<any>(pod.metadata?.annotations ?? {})) {
    if (!k.startsWith(PREFIX) || annotationOk(v)) continue;
    out.push(violation(`${pod.metadataPath}.annotations["${k}"]`, v, `AppArmor profile ${JSON.stringify(v)} for container "${k.slice(PREFIX.length)}".`));
  }
  return out;
});
