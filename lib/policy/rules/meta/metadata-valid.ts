import { DNS1035, DNS1123, DNS1123_SUBDOMAIN, isLabelKey, isLabelValue } from '../../../kube/k8s-syntax';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

/** Kinds whose names the API server checks as DNS-1123 labels (they become DNS names or label values). */
const LABEL_NAMED = new Set(['Namespace']);
/** Built-in kinds whose names the API server checks as DNS-1123 subdomains. */
const SUBDOMAIN_NAMED = new Set([
  'Pod', 'PodTemplate', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob',
  'ConfigMap', 'Secret', 'ServiceAccount', 'NetworkPolicy', 'PodDisruptionBudget', 'ResourceQuota', 'LimitRange',
  'PersistentVolumeClaim', 'PersistentVolume', 'Ingress', 'IngressClass', 'StorageClass', 'RuntimeClass', 'PriorityClass',
  'HorizontalPodAutoscaler', 'Endpoints', 'EndpointSlice',
]);

/** True when the API group of `apiVersion` (before its first `/`) has no dot or ends in `.k8s.io` (read in place). */
function isBuiltInGroup(apiVersion: unknown): boolean {
  if (typeof apiVersion !== 'string') return true;
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return true;
  const dot = apiVersion.indexOf('.');
  return dot < 0 || dot > slash || (slash >= 7 && apiVersion.startsWith('.k8s.io', slash - 7));
}

/** What a name must be, and its test (one constant per syntax: nothing built per object). */
interface NameSyntax {
  readonly valid: (name: string) => boolean;
  readonly what: string;
}
const SERVICE_NAME: NameSyntax = { valid: n => DNS1035.test(n), what: 'a DNS-1035 label (starts with a letter)' };
const LABEL_NAME: NameSyntax = { valid: n => DNS1123.test(n), what: 'a DNS-1123 label' };
const SUBDOMAIN_NAME: NameSyntax = { valid: n => DNS1123_SUBDOMAIN.test(n), what: 'a DNS-1123 subdomain' };
const PATH_SEGMENT: NameSyntax = { valid: n => n.length > 0 && n !== '.' && n !== '..' && !/[/%]/.test(n), what: 'a path segment (no "/" or "%")' };

/** The name syntax of a kind: built-in kinds by their table, anything else (CRDs may reuse kind names) a path segment. */
function nameSyntax(kind: string, builtIn: boolean): NameSyntax {
  if (!builtIn) return PATH_SEGMENT;
  if (kind === 'Service') return SERVICE_NAME;
  if (LABEL_NAMED.has(kind)) return LABEL_NAME;
  if (SUBDOMAIN_NAMED.has(kind)) return SUBDOMAIN_NAME;
  return PATH_SEGMENT;
}

export const metadataValid: IRule = {
  id: 'metadata-valid',
  title: 'Object names, namespaces, label and annotation keys are valid',
  stride: [Stride.DENIAL_OF_SERVICE, Stride.TAMPERING],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  description: 'The API server rejects an object whose name, namespace, label keys or values, or annotation keys are ' +
    'malformed, so the deployment fails (often halfway through). Worse, a malformed value that is concatenated into a ' +
    'selector (`key=value,...` annotations, label selectors) can change what it selects. Names: DNS-1035 labels for ' +
    'Services, DNS-1123 labels for Namespaces, DNS-1123 subdomains for built-in workload, config and policy kinds, path segments (no ' +
    '`/` or `%`) for everything else; namespaces: DNS-1123 labels; label keys and annotation keys: `[prefix/]name`; ' +
    'label values: at most 63 of [A-Za-z0-9-_.]. Files without metadata (API server configuration) are not judged.',
  remediation: 'Use lower-case alphanumerics and `-` (plus `.` where subdomains are allowed) in names and namespaces, ' +
    'and valid qualified names in label and annotation keys.',
  references: ['Kubernetes docs: Object Names and IDs', 'Kubernetes docs: Labels and Selectors (syntax and character set)'],
  peers: [],
  threats: ['T3-manifest-and-etcd-tampering'],
  admission: { notGenerated: 'the API server\'s own validation rejects these objects before admission policies run' },
  check(obj) {
    const meta = obj?.metadata;
    if (!meta || typeof meta !== 'object') return [];
    const out: RuleViolation[] = [];
    const name = meta.name;
    if (name !== undefined) {
      const kind = String(obj.kind);
      // built-in API groups: the core group, dot-less groups (apps, batch, policy, ...) and *.k8s.io; CRDs may reuse kind names
      const builtIn = isBuiltInGroup(obj.apiVersion);
      const syntax = nameSyntax(kind, builtIn);
      if (typeof name !== 'string' || !syntax.valid(name)) out.push({ path: 'metadata.name', message: `${kind} name ${JSON.stringify(name)} is not ${syntax.what}.` });
    }
    if (meta.namespace !== undefined && meta.namespace !== '' && (typeof meta.namespace !== 'string' || !DNS1123.test(meta.namespace))) {
      out.push({ path: 'metadata.namespace', message: `namespace ${JSON.stringify(meta.namespace)} is not a DNS-1123 label.` });
    }
    const labels = meta.labels ?? {};
    for (const k of Object.keys(labels)) {
      if (!isLabelKey(k)) out.push({ path: `metadata.labels["${k}"]`, message: `label key ${JSON.stringify(k)} is not a qualified name.` });
      else if (!isLabelValue(labels[k])) out.push({ path: `metadata.labels["${k}"]`, message: `label ${k} has an invalid value ${JSON.stringify(labels[k])}.` });
    }
    for (const k of Object.keys(meta.annotations ?? {})) {
      // the API server validates annotation keys lower-cased
      if (!isLabelKey(k.toLowerCase())) out.push({ path: `metadata.annotations["${k}"]`, message: `annotation key ${JSON.stringify(k)} is not a qualified name.` });
    }
    return out;
  },
};
