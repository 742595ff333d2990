/**
 * TYPE ROBUSTNESS. The API server decodes core kinds into their Go types before admission, so a Deployment can never
 * carry `runAsUser: "0"`. A custom resource whose CRD schema does not type its pod template (or preserves unknown
 * fields) can: the request reaches the policy with a string where the rule compares an integer, and CEL's
 * heterogeneous equality makes `"0" != 0` true — the rule would admit it silently, and the controller may still turn
 * it into a pod (lenient decoders, string-to-int conversion in operators' own code).
 *
 * So every pod-carrier policy has a first validation: each field any rule reads has the type of the Kubernetes
 * PodSpec OpenAPI schema (booleans, integers, strings, lists, maps), and the carrier path holds a map. A value of
 * another type is denied with its own message, never judged by the rule's comparison.
 */

export type T = 'bool' | 'int' | 'string' | 'list' | 'map' | 'intOrString' | { readonly fields: { readonly [k: string]: T } } | { readonly items: T } | { readonly values: T };

const str: T = 'string';
const handler: T = { fields: { httpGet: { fields: { host: str } }, tcpSocket: { fields: { host: str } } } };
const probe: T = { fields: { httpGet: { fields: { host: str, port: 'intOrString' } }, tcpSocket: { fields: { host: str, port: 'intOrString' } }, grpc: { fields: { port: 'int' } } } };
const securityContextCommon: { [k: string]: T } = {
  runAsNonRoot: 'bool',
  runAsUser: 'int',
  runAsGroup: 'int',
  seccompProfile: { fields: { type: str } },
  seLinuxOptions: { fields: { type: str, user: str, role: str } },
  windowsOptions: { fields: { hostProcess: 'bool' } },
  appArmorProfile: { fields: { type: str } },
};
const container: T & object = {
  fields: {
    name: str,
    image: str,
    securityContext: {
      fields: {
        ...securityContextCommon,
        privileged: 'bool', allowPrivilegeEscalation: 'bool', readOnlyRootFilesystem: 'bool', procMount: str,
        capabilities: { fields: { add: { items: str }, drop: { items: str } } },
      },
    },
    ports: { items: { fields: { hostPort: 'int', containerPort: 'int', name: str, protocol: str } } },
    resources: { fields: { limits: 'map', requests: 'map' } },
    livenessProbe: probe, readinessProbe: probe, startupProbe: probe,
    // pod-rules-extra.ts
    stdin: 'bool', tty: 'bool',
    env: { items: { fields: { name: str, valueFrom: { fields: { secretKeyRef: 'map' } } } } },
    envFrom: { items: { fields: { secretRef: 'map' } } },
    lifecycle: { fields: { postStart: handler, preStop: handler } },
  },
};

/** The PodSpec fields the rules read, with their OpenAPI types. */
export const POD_SPEC_TYPES: T = {
  fields: {
    hostNetwork: 'bool', hostPID: 'bool', hostIPC: 'bool',
    os: { fields: { name: str } },
    securityContext: { fields: { ...securityContextCommon, sysctls: { items: { fields: { name: str } } }, fsGroup: 'int', supplementalGroups: { items: 'int' } } },
    // pod-rules-extra.ts
    serviceAccountName: str, serviceAccount: str, hostAliases: 'list', hostUsers: 'bool', tolerations: { items: { fields: { key: str, operator: str } } },
    volumes: { items: 'map' },
    containers: { items: container },
    initContainers: { items: container },
    ephemeralContainers: { items: container },
  },
};

/** The pod metadata fields the rules read. */
export const POD_METADATA_TYPES: T = { fields: { annotations: { values: str }, labels: { values: str } } };

function check(expr: string, t: T, depth: number): string {
  if (t === 'intOrString') return `(type(${expr}) == int || type(${expr}) == string)`;
  if (typeof t === 'string') return `type(${expr}) == ${t}`;
  const v = `t${depth}`;
  if ('items' in t) return `(type(${expr}) == list && ${expr}.all(${v}, ${check(v, t.items, depth + 1)}))`;
  if ('values' in t) return `(type(${expr}) == map && ${expr}.all(${v}, ${check(`${expr}[${v}]`, t.values, depth + 1)}))`;
  const fields = Object.entries(t.fields).map(([k, ft]) => `(!has(${expr}.${k}) || ${check(`${expr}.${k}`, ft, depth)})`);
  return `(type(${expr}) == map && ${fields.join(' && ')})`;
}

/** CEL: true when the value of `expr` has type `t` (for the custom-resource kinds of the non-pod rules). */
export function typeCheckOf(expr: string, t: T): string {
  return check(expr, t, 0);
}

/**
 * CEL list of strings: the paths (built from the CEL string `path`) of the values under `expr` that do not have their
 * type, outermost first; empty when everything is well typed. A container is named: `container "app" at <path>`.
 */
export function badPaths(expr: string, t: T, path: string, depth = 0): string {
  if (typeof t === 'string') return `(type(${expr}) == ${t} ? [] : [${path}])`;
  const v = `u${depth}`;
  // each element's own list of bad paths (built once), the non-empty ones' first entry
  // a list inside a list element (a container's ports, capabilities): the list is named, not the element (cost)
  if ('items' in t && depth > 0) return `(${check(expr, t, depth)} ? [] : [${path}])`;
  if ('items' in t) {
    const at = `${path} + '[' + string(${expr}.indexOf(${v})) + ']'`;
    const label = t.items === container
      ? `'container "' + (type(${v}) == map && has(${v}.name) && type(${v}.name) == string ? ${v}.name : '') + '" at ' + ${at}` : at;
    return `(type(${expr}) != list ? [${path}] : ${expr}.map(${v}, [${label}].map(p${depth}, ${badPaths(v, t.items, `p${depth}`, depth + 1)})[0])` +
      `.filter(l${depth}, size(l${depth}) > 0).map(l${depth}, l${depth}[0]))`;
  }
  if ('values' in t) {
    return `(type(${expr}) != map ? [${path}] : ${expr}.map(${v}, ${badPaths(`${expr}[${v}]`, t.values, `${path} + '["' + ${v} + '"]'`, depth + 1)})` +
      `.filter(l${depth}, size(l${depth}) > 0).map(l${depth}, l${depth}[0]))`;
  }
  const fields = Object.entries(t.fields).map(([k, ft]) => `(has(${expr}.${k}) ? ${badPaths(`${expr}.${k}`, ft, `${path} + '.${k}'`, depth)} : [])`);
  return `(type(${expr}) != map ? [${path}] : ${fields.join(' + ')})`;
}

/**
 * CEL string: the first field of the pod spec or pod metadata (as the TypeScript rule's path, with its container) whose
 * value has the wrong type; '' when none.
 */
export function typeViolationDetail(): string {
  return `[${badPaths('variables.spec', POD_SPEC_TYPES, 'variables.prefix')} + ${badPaths('variables.meta', POD_METADATA_TYPES, 'variables.metaPrefix')}]` +
    '.map(l, size(l) == 0 ? \'\' : l[0] + (size(l) > 1 ? \' (and \' + string(size(l) - 1) + \' more)\' : \'\'))[0]';
}

/** CEL: true when the pod spec and pod metadata of the object have the Kubernetes types in every field a rule reads. */
export function typeCheckExpression(): string {
  return `${check('variables.spec', POD_SPEC_TYPES, 0)} && ${check('variables.meta', POD_METADATA_TYPES, 0)}`;
}

function jsType(v: any): string {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'double';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'list';
  if (v !== null && typeof v === 'object') return 'map';
  return 'null';
}

function conforms(v: any, t: T): boolean {
  if (t === 'intOrString') return jsType(v) === 'int' || jsType(v) === 'string';
  if (typeof t === 'string') return jsType(v) === t;
  if ('items' in t) return Array.isArray(v) && v.filter(x => x !== null && x !== undefined).every(x => conforms(x, t.items));
  if (jsType(v) !== 'map') return false;
  if ('values' in t) return Object.values(v).filter(x => x !== null && x !== undefined).every(x => conforms(x, t.values));
  return Object.entries(t.fields).every(([k, ft]) => v[k] === undefined || v[k] === null || conforms(v[k], ft));
}

/** The TypeScript form of typeCheckExpression (impact report): undefined = no pod spec there (nothing to judge). */
export function wellTyped(spec: any, meta: any): boolean {
  return (spec === undefined || conforms(spec, POD_SPEC_TYPES)) && (meta === undefined || conforms(meta, POD_METADATA_TYPES));
}
