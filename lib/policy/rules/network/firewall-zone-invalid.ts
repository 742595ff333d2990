import { DNS1123, DNS1123_SUBDOMAIN, isLabelValue } from '../../../kube/k8s-syntax';
import { joinPath } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';
import { cidrProblem } from './cidr-util';
import { MATRIX_KIND, matrixZones } from './matrix-util';

const ZONE_KINDS = ['hosts', 'cidr', 'pods'];
/** A label name part or non-empty label value: 1-63 of [A-Za-z0-9-_.], alphanumeric at both ends. */
const isLabelName = (s: string) => s !== '' && isLabelValue(s);

/** Why `key` is not a valid Kubernetes label key (`[prefix/]name`), or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !DNS1123_SUBDOMAIN.test(prefix)) return `label key "${key}": prefix "${prefix}" is not a DNS-1123 subdomain.`;
  if (!isLabelName(name)) return `label key "${key}": name "${name}" is not 1-63 alphanumerics, "-", "_" or "." starting and ending alphanumeric.`;
  return undefined;
}

/** Why `value` is not a valid Kubernetes label value, or undefined. */
export function labelValueProblem(key: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return `label "${key}" has a non-string value.`;
  if (value !== '' && !isLabelName(value)) return `label "${key}": value "${value}" is not empty or 1-63 alphanumerics, "-", "_" or "." starting and ending alphanumeric.`;
  return undefined;
}

export const firewallZoneInvalid: IRule = {
  id: 'firewall-zone-invalid',
  title: 'Matrix zones have a valid kind, CIDR, namespace and labels',
  stride: [Stride.TAMPERING, Stride.INFORMATION_DISCLOSURE],
  severity: Severity.ERROR,
  appliesTo: [MATRIX_KIND],
  description: 'A zone is rendered into security group peers and NetworkPolicy selectors and ipBlocks, so it must be exact: ' +
    'a name; a kind `hosts`, `cidr` or `pods`; for `cidr` zones (and hosts zones that declare one) a valid IPv4 CIDR ' +
    '(octets 0-255, prefix 0-32) or IPv6 CIDR (prefix 0-128) with no host bits set; for `pods` zones a namespace that is a ' +
    'DNS-1123 label and valid label keys and values, and all pods zones of one namespace agree on whether the matrix ' +
    'manages (default-denies) that namespace. A malformed value fails at deploy time, or is read differently by ' +
    'AWS or Kubernetes than the matrix document says (10.0.0.1/8 is the whole 10.0.0.0/8).',
  remediation: 'Write CIDRs as network/prefix (e.g. 192.0.2.0/24, 2001:db8::/32, one host as /32 or /128), pod-zone ' +
    'namespaces as lowercase DNS-1123 labels (e.g. "shop") and labels as Kubernetes label keys and values.',
  references: ['RFC 4632 (CIDR) and RFC 4291 (IPv6 addressing)', 'Kubernetes docs: Object Names and IDs (DNS-1123 label)', 'Kubernetes docs: Labels and Selectors (syntax and character set)'],
  peers: [],
  threats: ['T3-manifest-and-etcd-tampering'],
  admission: { notGenerated: 'judges the FirewallMatrix (AWS security groups and NetworkPolicies as a whole), not one API object' },
  check(obj) {
    const out: RuleViolation[] = [];
    const managedByNamespace = new Map<string, { name: string; managed: boolean }>();
    matrixZones(obj).forEach((z: any, i: number) => {
      if (z?.kind === 'pods' && typeof z.namespace === 'string') {
        const managed = z.manageNamespace !== false;
        const first = managedByNamespace.get(z.namespace);
        if (!first) managedByNamespace.set(z.namespace, { name: String(z.name), managed });
        else if (first.managed !== managed) {
          out.push({
            path: `spec.zones[${i}].manageNamespace`,
            message: `pods zone "${z.name}": namespace "${z.namespace}" is ${first.managed ? 'owned' : 'not owned'} by the matrix (zone "${first.name}") but this zone says ` +
              `it is ${managed ? 'owned' : 'not owned'}; a namespace is either default-denied by the matrix or left to its owner.`,
          });
        }
      }
    });
    matrixZones(obj).forEach((z: any, i: number) => {
      const path = `spec.zones[${i}]`;
      const name = z?.name;
      if (typeof name !== 'string' || name.trim() === '') {
        out.push({ path: `${path}.name`, message: 'zone has no name.' });
        return;
      }
      if (!ZONE_KINDS.includes(z.kind)) out.push({ path: `${path}.kind`, message: `zone "${name}": kind ${JSON.stringify(z.kind)} is not one of ${ZONE_KINDS.join(', ')}.` });
      if (z.kind === 'cidr' && z.cidr === undefined) out.push({ path: `${path}.cidr`, message: `CIDR zone "${name}" has no cidr.` });
      if (z.cidr !== undefined && z.kind !== 'pods') {
        const problem = cidrProblem(z.cidr);
        if (problem) out.push({ path: `${path}.cidr`, message: `zone "${name}": ${JSON.stringify(z.cidr)} is not a valid CIDR: ${problem}` });
      }
      if (z.kind === 'pods') {
        if (typeof z.namespace !== 'string' || !DNS1123.test(z.namespace)) {
          out.push({ path: `${path}.namespace`, message: `pods zone "${name}": namespace ${JSON.stringify(z.namespace)} is not a DNS-1123 label (lowercase alphanumerics and "-", at most 63, starting and ending alphanumeric).` });
        }
        const labels = z.labels ?? {};
        if (typeof labels !== 'object' || Array.isArray(labels)) {
          out.push({ path: `${path}.labels`, message: `pods zone "${name}": labels are not a map of label keys to values.` });
        } else {
          for (const [k, v] of Object.entries(labels)) {
            const problem = labelKeyProblem(k) ?? labelValueProblem(k, v);
            if (problem) out.push({ path: joinPath(`${path}.labels`, k), message: `pods zone "${name}": ${problem}` });
          }
        }
      }
    });
    return out;
  },
};
