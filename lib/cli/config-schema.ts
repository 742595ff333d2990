import { QUANTITY_PATTERN } from '../kube/k8s-syntax';
import { LATEST_KUBE_VERSION, SUPPORTED_KUBE_VERSIONS } from '../kube/kube-version';
import { PSS_VERSIONS } from '../kube/pss-versions';
import { MIN_WAIVER_REASON } from '../policy/waiver-record';

/** Name of the configuration file, searched upward from the working directory. */
export const CONFIG_FILE_NAME = '.cdk8s-hardened.yaml';

/** Where the published JSON Schema lives (schemas/cdk8s-hardened-config.schema.json in the repository and package). */
export const CONFIG_SCHEMA_ID = 'https://raw.githubusercontent.com/cdk8s-hardened/cdk8s-hardened/main/schemas/cdk8s-hardened-config.schema.json';

/** Kubernetes versions a config may name: the supported versions of lib/kube/kube-version.ts, and `latest`. */
export const KUBE_VERSION_VALUES: string[] = [...SUPPORTED_KUBE_VERSIONS, LATEST_KUBE_VERSION];

const RULE_ID = { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' };
const SEVERITY = { type: 'string', enum: ['error', 'warning', 'info'] };

/**
 * JSON Schema (draft-07) of `.cdk8s-hardened.yaml`. Every key is also a `check` flag (kebab-case: `failOn` is
 * `--fail-on`) and a property of the cdk8s validation plugin, with the same meaning. The file
 * schemas/cdk8s-hardened-config.schema.json is this object (test/cli/config.test.ts keeps them equal).
 */
export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: CONFIG_SCHEMA_ID,
  title: 'cdk8s-hardened configuration (.cdk8s-hardened.yaml)',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string', description: 'URL of this schema, for editors.' },
    kubeVersion: { type: 'string', enum: KUBE_VERSION_VALUES, description: 'Kubernetes version the manifests are for (--kube-version).' },
    level: { type: 'string', enum: ['baseline', 'restricted'], description: 'Only the Pod Security Standards controls of this level, plus the rules that cannot be waived (--level). Default: the whole catalogue.' },
    podSecurityVersion: { type: 'string', enum: PSS_VERSIONS, description: 'Pod Security Standards version the PSS rules judge by (--pod-security-version). Default: follows kubeVersion.' },
    allowedRegistries: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Registries images may come from (--allowed-registries). Default: any.' },
    requireDigest: { type: 'boolean', description: 'Require images pinned by @sha256 digest (--require-digest / --no-require-digest). Default: true.' },
    maxWaiverDays: { type: 'integer', minimum: 1, description: 'Longest a waiver may run, in days (--max-waiver-days). Default: 90.' },
    maxReplicas: { type: 'integer', minimum: 1, description: 'Most replicas a workload or a HorizontalPodAutoscaler may ask for, rule profile-maximums (--max-replicas). Default: no maximum.' },
    maxContainerCpu: { type: 'string', pattern: QUANTITY_PATTERN, description: 'Largest CPU request or limit of one container, e.g. "4" or "1500m", rule profile-maximums (--max-container-cpu). Default: no maximum.' },
    maxContainerMemory: { type: 'string', pattern: QUANTITY_PATTERN, description: 'Largest memory request or limit of one container, e.g. "8Gi", rule profile-maximums (--max-container-memory). Default: no maximum.' },
    failOn: { ...SEVERITY, description: 'Lowest severity that fails the run (--fail-on). Default: error.' },
    include: { type: 'array', items: RULE_ID, description: 'Only these rules, plus the rules that cannot be waived (--include).' },
    exclude: {
      type: 'array',
      description: 'Rules left out, each with a reason (--exclude RULE=REASON). The waiver and token rules cannot be excluded.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['rule', 'reason'],
        properties: { rule: RULE_ID, reason: { type: 'string', minLength: MIN_WAIVER_REASON } },
      },
    },
    severityOverrides: {
      type: 'object',
      description: 'Rule id -> severity (--severity-overrides RULE=SEVERITY): raise any rule, or move one between warning and info; an error rule is never lowered.',
      propertyNames: RULE_ID,
      additionalProperties: SEVERITY,
    },
    ignorePaths: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'Input files to skip, as globs relative to this file (* within a path segment, ** across segments) (--ignore-paths).',
    },
    waivers: {
      description: 'Waivers for manifests you do not own: a file (relative to this file) or the list itself (--waivers FILE).',
      oneOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', items: { $ref: '#/definitions/waiver' } },
      ],
    },
    baseline: { type: 'string', minLength: 1, description: 'Baseline file: its findings do not fail the run (--baseline FILE).' },
  },
  definitions: {
    waiver: {
      type: 'object',
      additionalProperties: false,
      required: ['ruleId', 'object', 'reason', 'owner', 'expires'],
      properties: {
        ruleId: RULE_ID,
        object: {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'name'],
          properties: {
            kind: { type: 'string', minLength: 1 },
            name: { type: 'string', minLength: 1 },
            namespace: { type: 'string', minLength: 1 },
            apiVersion: { type: 'string', minLength: 1 },
          },
        },
        path: { type: 'string', minLength: 1 },
        reason: { type: 'string', minLength: MIN_WAIVER_REASON },
        owner: { type: 'string', minLength: 1 },
        expires: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
      },
    },
  },
} as const;
