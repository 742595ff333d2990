import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { kubeMinor } from '../kube/kube-version';
import { HardeningError } from '../policy/errors';
import { EnforcementMode, HardeningProfile } from '../policy/profile';
import { todayUtc } from '../policy/waiver-record';
import { enforceableRuleIds, exemptionProblem, generatePolicies, generateRules, POLICY_PREFIX } from './generate';

/** The admissionregistration.k8s.io version the policies are emitted for. */
export enum AdmissionApiVersion {
  /** GA, Kubernetes 1.30 and later. */
  V1 = 'v1',
  /** Beta, Kubernetes 1.28 and 1.29 (the API must be enabled there). */
  V1BETA1 = 'v1beta1',
}

/** One exemption from every admission policy: a namespace or a user, with the reason it is accepted. */
export interface AdmissionExemption {
  /**
   * Namespace whose objects are not judged (exactly one of namespace and user).
   * @default - no namespace
   */
  readonly namespace?: string;
  /**
   * User whose requests are not judged, e.g. `system:serviceaccount:kube-system:daemon-set-controller`.
   * @default - no user
   */
  readonly user?: string;
  /** Why it is accepted (at least 20 characters): shown in the policies' annotation. */
  readonly reason: string;
}

/**
 * Props of AdmissionPolicies. The rules judge with the effective HardeningProfile of the scope (podSecurityVersion,
 * allowedRegistries, requireDigest); a profile in audit mode makes every binding Audit + Warn instead of Deny.
 */
export interface AdmissionPoliciesProps {
  /**
   * Rule ids to enforce at admission (each must be one the generator can judge on one object).
   * @default - every catalogue rule that can be judged on one object at admission with the scope's settings
   */
  readonly rules?: string[];
  /**
   * API version of the emitted ValidatingAdmissionPolicy / Binding objects.
   * @default - the version the HardeningProfile's `kubeVersion` serves: V1 (GA, 1.30+), V1BETA1 on 1.28-1.29 (an
   *   unserved version would be refused by the API server)
   */
  readonly apiVersion?: AdmissionApiVersion;
  /**
   * Leave out the system namespaces (kube-system, kube-public, kube-node-lease) and requests by nodes (group
   * `system:nodes`: the kubelet's mirror pods). The policies say so in the `hardened.cdk8s.io/exemptions` annotation.
   * Set false to judge them too; then name each exemption you need in `exemptions`, with its reason.
   * @default true - denying kube-proxy, the CNI or a static pod's mirror can take a cluster down (Pod Security Admission deployments exempt the same)
   */
  readonly exemptSystemComponents?: boolean;
  /**
   * Further exemptions, one by one, each a namespace (the policies' namespaceSelector) or a user (a matchCondition)
   * with the reason it is accepted (at least 20 characters). Listed in the `hardened.cdk8s.io/exemptions` annotation.
   * @default - none besides the system components: an exemption removes every control for what it names, so it must be named and reasoned
   */
  readonly exemptions?: AdmissionExemption[];
  /**
   * Rules whose bindings Deny while the rest only Audit + Warn (a profile in audit mode): the rollout from Warn to
   * Deny, rule by rule, after `cdk8s-hardened admission-policies --impact` shows what each would refuse.
   * @default - none: in audit mode every binding is Audit + Warn; in enforce mode every error-severity rule denies
   */
  readonly denyRules?: string[];
  /**
   * Generation date (YYYY-MM-DD, UTC): waivers that expire before it are not baked in.
   * @default - today (UTC): a waiver stays honoured until the policies are regenerated after it expires
   */
  readonly generatedOn?: string;
  /**
   * Namespace assumed for waived objects that set none (where kubectl applies them).
   * @default 'default' - a waiver never covers an object of the same name in another namespace
   */
  readonly defaultNamespace?: string;
}

/**
 * The rule catalogue enforced at admission: one ValidatingAdmissionPolicy + ValidatingAdmissionPolicyBinding per rule
 * that can be judged on one object, over Pods (and pods/ephemeralcontainers), Deployments, StatefulSets, DaemonSets,
 * ReplicaSets, ReplicationControllers, Jobs, CronJobs, PodTemplates and the custom-resource pod carriers the catalogue
 * knows at one fixed path (Argo Rollouts, Knative, KEDA ScaledJob, OpenKruise), plus Services and PersistentVolumes.
 * Safe on a live cluster: an UPDATE is judged only when a field the rule reads changed (metadata-only changes, status
 * and scale are admitted, DELETE is not matched), the system namespaces and mirror pods are exempt by default, and a
 * wrong-typed value in a custom resource is denied. Valid waivers of the app's objects are baked in at synth (see
 * lib/admission/generate.ts).
 */
export class AdmissionPolicies extends Construct {
  /** Rule ids enforced, in catalogue order. */
  public readonly ruleIds: string[];

  private cache?: any[];

  /** Emits a ValidatingAdmissionPolicy and its binding per enforceable rule into the chart that holds `scope`. */
  constructor(scope: Construct, id: string, props: AdmissionPoliciesProps = {}) {
    super(scope, id);
    const settings = HardeningProfile.settingsOf(this);
    const available = enforceableRuleIds(settings);
    for (const r of props.rules ?? []) {
      if (!available.includes(r)) {
        throw new HardeningError({
          path: this.node.path, field: 'props.rules', value: r, ruleId: r,
          message: 'is not a rule that can be judged at admission with this scope\'s settings.',
          fix: `use one of: ${available.join(', ')}.`,
        });
      }
    }
    for (const [i, e] of (props.exemptions ?? []).entries()) {
      const problem = exemptionProblem({ namespace: e.namespace, user: e.user, reason: e.reason });
      if (problem) {
        throw new HardeningError({
          path: this.node.path, field: `props.exemptions[${i}]`, value: JSON.stringify(e), ruleId: 'admission-exemption',
          message: `${problem}.`, fix: 'name one namespace or user exactly (no wildcards) and give the reason it is accepted (at least 20 characters).',
        });
      }
    }
    for (const r of props.denyRules ?? []) {
      if (!available.includes(r)) {
        throw new HardeningError({
          path: this.node.path, field: 'props.denyRules', value: r, ruleId: r,
          message: 'is not a rule these policies enforce.', fix: `use one of: ${available.join(', ')}.`,
        });
      }
    }
    if (props.generatedOn !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(props.generatedOn)) {
      throw new HardeningError({
        path: this.node.path, field: 'props.generatedOn', value: props.generatedOn, ruleId: 'waiver-expired',
        message: 'is not a YYYY-MM-DD date.', fix: 'give the generation date as YYYY-MM-DD (UTC), or leave it unset for today.',
      });
    }
    this.ruleIds = props.rules ? available.filter(r => props.rules!.includes(r)) : available;
    const resolved = HardeningProfile.resolve(this);
    const apiVersion = props.apiVersion ?? ((kubeMinor(resolved.kubeVersion) ?? 36) < 30 ? AdmissionApiVersion.V1BETA1 : AdmissionApiVersion.V1);
    const audit = resolved.mode === EnforcementMode.AUDIT;
    const generate = () => {
      if (!this.cache) {
        const sources = this.node.root.node.findAll()
          .filter((c: IConstruct) => ApiObject.isApiObject(c) && !c.node.scopes.includes(this))
          .map(c => (c as ApiObject).toJson());
        this.cache = generatePolicies({
          settings, apiVersion, audit, ruleIds: this.ruleIds, waiverSources: sources,
          generatedOn: props.generatedOn ?? todayUtc(), defaultNamespace: props.defaultNamespace,
          exemptSystem: props.exemptSystemComponents !== false, denyRules: props.denyRules,
          exemptions: (props.exemptions ?? []).map(e => ({ namespace: e.namespace, user: e.user, reason: e.reason })),
        });
      }
      return this.cache;
    };
    // Names and order are known now; the content (baked waivers) is computed when the chart is synthesized.
    const names = generateRules({ settings, apiVersion, ruleIds: this.ruleIds, generatedOn: '0000-00-00' }).map(g => `${POLICY_PREFIX}${g.rule.id}`);
    names.forEach((name, i) => {
      for (const [j, kind] of ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'].entries()) {
        new GeneratedObject(this, `${kind}-${name}`, {
          apiVersion: `admissionregistration.k8s.io/${apiVersion}`, kind, metadata: { name },
        }, () => generate()[2 * i + j]);
      }
    });
  }
}

/** An ApiObject whose JSON is produced at synthesis. */
class GeneratedObject extends ApiObject {
  constructor(scope: Construct, id: string, props: { apiVersion: string; kind: string; metadata: { name: string } }, private readonly produce: () => any) {
    super(scope, id, props);
  }

  public toJson(): any {
    return this.produce();
  }
}
