/**
 * STRIDE threat categories. Every rule names at least one.
 */
export enum Stride {
  /** Pretending to be someone or something else (authenticity). */
  SPOOFING = 'Spoofing',
  /** Modifying code, data or configuration (integrity). */
  TAMPERING = 'Tampering',
  /** Denying an action for lack of evidence (non-repudiation, audit). */
  REPUDIATION = 'Repudiation',
  /** Exposing information to those not allowed to see it (confidentiality). */
  INFORMATION_DISCLOSURE = 'Information disclosure',
  /** Degrading or denying service (availability). */
  DENIAL_OF_SERVICE = 'Denial of service',
  /** Gaining capabilities without authorization (authorization). */
  ELEVATION_OF_PRIVILEGE = 'Elevation of privilege',
}

/**
 * How bad a failing rule is. Only ERROR findings block synthesis (in enforce mode) and fail `check`.
 */
export enum Severity {
  /** Blocks synthesis (enforce mode) and fails `check`. */
  ERROR = 'error',
  /** Reported, does not block. */
  WARNING = 'warning',
  /** Informational, does not block. */
  INFO = 'info',
}

/**
 * The four outcomes of evaluating one rule against one object.
 */
export enum Outcome {
  /** The object satisfies the rule. */
  PASS = 'pass',
  /** The object violates the rule. */
  FAIL = 'fail',
  /** The rule does not apply to this kind of object. */
  NOT_APPLICABLE = 'not-applicable',
  /** The rule could not decide, e.g. a deciding value is an unresolved token. Always reported. */
  UNEVALUABLE = 'unevaluable',
}

/**
 * Pod Security Standards level a rule implements (for `check --level`).
 */
export enum PssLevel {
  /** Pod Security Standards baseline: prevents known privilege escalations. */
  BASELINE = 'baseline',
  /** Pod Security Standards restricted: baseline plus current pod hardening best practices. */
  RESTRICTED = 'restricted',
}

/**
 * What a rule's check reports for one problem in one object.
 */
export interface RuleViolation {
  /** JSON path of the offending field inside the object, e.g. `spec.template.spec.hostNetwork`. */
  readonly path: string;
  /** Human readable description of the problem, naming the offending value. */
  readonly message: string;
  /**
   * True when the rule could not decide (e.g. the value is an unresolved token).
   * @default false
   */
  readonly unevaluable?: boolean;
}

/**
 * Identifies a Kubernetes object in findings.
 */
export interface ObjectRef {
  /** apiVersion of the object. */
  readonly apiVersion: string;
  /** kind of the object. */
  readonly kind: string;
  /** metadata.name of the object. */
  readonly name: string;
  /** metadata.namespace of the object. @default - cluster scoped or namespace not set */
  readonly namespace?: string;
  /** cdk8s construct path, when the object came from a construct tree. @default - none */
  readonly constructPath?: string;
  /** Source file, when the object came from a file (CLI). @default - none */
  readonly file?: string;
  /** Index of the YAML document within the file (0-based). @default - none */
  readonly documentIndex?: number;
  /**
   * Where the object sits in the list document that carried it, as kubectl flattens lists: `items[2]`,
   * `items[0].items[1]` (finding paths are then relative to that item); `''` for the list's own fields.
   * @default - the object is not from a list
   */
  readonly listItem?: string;
}

/**
 * The effective settings a rule evaluates against (a resolved HardeningProfile).
 */
export interface PolicySettings {
  /** Registries, registry paths or repositories images may come from (matched on whole path segments, see `image-registry-allowed`). Empty: any. */
  readonly allowedRegistries: string[];
  /** Whether images must be pinned by `@sha256:` digest. */
  readonly requireDigest: boolean;
  /** Pod Security Standards version label value, e.g. `v1.28`. */
  readonly podSecurityVersion: string;
  /**
   * Kubernetes version the objects are for (`1.28` … `1.36`, see kube-version.ts).
   * @default '1.36' (DEFAULT_KUBE_VERSION)
   */
  readonly kubeVersion?: string;
  /** Longest a waiver may run, in days from today. */
  readonly maxWaiverDays: number;
  /**
   * Most replicas a workload (or its HorizontalPodAutoscaler) may run.
   * @default - no maximum
   */
  readonly maxReplicas?: number;
  /**
   * Largest CPU request or limit of one container, a Kubernetes quantity (e.g. `4`, `1500m`).
   * @default - no maximum
   */
  readonly maxContainerCpu?: string;
  /**
   * Largest memory request or limit of one container, a Kubernetes quantity (e.g. `8Gi`).
   * @default - no maximum
   */
  readonly maxContainerMemory?: string;
  /**
   * Whether every tenant namespace must have API Priority and Fairness (a FlowSchema + PriorityLevelConfiguration
   * bounding its service accounts, rule `tenant-api-fairness`).
   * @default false
   */
  readonly requireApiFairness?: boolean;
  /**
   * Whether every workload image must be covered by an image signature policy (rule `image-signature-required`).
   * @default false
   */
  readonly requireImageSignatures?: boolean;
}

/**
 * What a rule sees besides the object under evaluation.
 */
export interface RuleContext {
  /** Effective policy settings. */
  readonly settings: PolicySettings;
  /** Every object in the evaluated set (chart or files), for cross-object rules. */
  readonly objects: any[];
  /** The active rule set (catalogue plus custom rules), for rules about waivers. */
  readonly rules: IRule[];
  /**
   * Every rule a waiver may name. Waivers of known rules outside `rules` (not evaluated in this run, e.g. with
   * `check --level`) are neither unknown nor unused.
   * @default - `rules`
   */
  readonly knownRules?: IRule[];
  /** Today's date, YYYY-MM-DD (UTC), for expiry checks. */
  readonly today: string;
}

/**
 * A catalogue rule. One rule per file under lib/policy/rules; custom rules implement this interface too.
 */
export interface IRule {
  /** Stable kebab-case id, e.g. `privileged-container`. Never renamed once released. */
  readonly id: string;
  /** One-line title. */
  readonly title: string;
  /** STRIDE categories the rule mitigates (at least one). */
  readonly stride: Stride[];
  /** Severity of a failure. */
  readonly severity: Severity;
  /** Kinds the rule applies to (`*` for every kind). */
  readonly appliesTo: string[];
  /** What the rule checks and why it matters. */
  readonly description: string;
  /** How to fix a failure. */
  readonly remediation: string;
  /** Pod Security Standards control, CIS benchmark item or practice the rule implements. */
  readonly references: string[];
  /**
   * Pod Security Standards level, for rules that implement a PSS control.
   * @default - not a Pod Security Standards control
   */
  readonly pssLevel?: PssLevel;
  /**
   * Whether a Waiver may cover this rule's findings.
   * @default true
   */
  readonly waivable?: boolean;
  /**
   * The checks of other Kubernetes manifest checkers this rule covers (it is at least as strict by default), as
   * `<tool>:<check id>` with tool one of `kube-linter`, `polaris`, `kubesec`, `gatekeeper`, `kyverno`, e.g.
   * `kube-linter:latest-tag`, `gatekeeper:general/allowedrepos`. Generated into docs/peers.md; the ids come from
   * docs/peers-source.md.
   * @default - covers no listed peer check
   */
  readonly peers?: string[];
  /**
   * Threats of the threat model (ids of THREATS in lib/threat/threats.ts, e.g. `E1-container-escape`) whose insecure
   * configurations this rule detects: a finding of the rule on an asset of the threat leaves the threat `not covered`
   * (or `waived`) on it. The threat model reads it for catalogue rules; every catalogue rule names at least one.
   * @default - no threat of the model
   */
  readonly threats?: string[];
  /**
   * Threats among `threats` for which an object of a kind this rule applies to (other than `*` and pod carriers), in the
   * output and passing every rule of the threat, is evidence of mitigation on the cluster asset: the threat turns from
   * `outside this app` / `assumed` into `mitigated`, listing the object. Leave a threat out when a passing object
   * proves nothing (the rule passes vacuously, or covers one part of a broader threat).
   * @default - findings only, never evidence
   */
  readonly threatEvidence?: string[];
  /**
   * Why admission policies do not enforce this rule, for a catalogue rule with no CEL in lib/admission. A catalogue rule
   * has CEL there or a reason here, never both (test/policy/rule-completeness.test.ts).
   * @default - enforced at admission (catalogue rules), not analysed for admission (custom rules)
   */
  readonly admission?: RuleAdmission;
  /**
   * Whether constructs that grant RBAC (HardenedDeployment `apiAccess`, IsolatedNamespace's tenant role) assert this rule
   * on the Role they would create, failing at construct time instead of at synth.
   * @default false
   */
  readonly judgesRbacGrants?: boolean;

  /**
   * Evaluate the rule against one object (only called for kinds in `appliesTo`).
   * Return an empty list when the object passes.
   */
  check(object: any, context: RuleContext): RuleViolation[];
}

/**
 * A catalogue rule's admission decision, when it is not enforced by a generated ValidatingAdmissionPolicy.
 */
export interface RuleAdmission {
  /**
   * Why no admission policy is generated for the rule (e.g. `cross-object: needs the NetworkPolicies of the namespace`),
   * shown by `cdk8s-hardened admission-policies --not-enforced`.
   */
  readonly notGenerated: string;
}

/**
 * A waiver as recorded in the object's annotation.
 */
export interface WaiverRecord {
  /** Rule id the waiver applies to. */
  readonly ruleId: string;
  /** Why the exception is acceptable (>= 20 characters). */
  readonly reason: string;
  /** Who owns the exception (team or person). */
  readonly owner: string;
  /** Expiry date, `YYYY-MM-DD` (UTC, the waiver is valid through that day). */
  readonly expires: string;
  /**
   * JSON path (or prefix) of the finding the waiver covers.
   * @default - every finding of the rule on this object
   */
  readonly path?: string;
  /**
   * Who approved the exception (a person or body other than the owner, e.g. the security team), shown with the accepted
   * risk in the threat model.
   * @default - not recorded (the threat model says so)
   */
  readonly approver?: string;
}

/**
 * The result of evaluating one rule on one object, when it is not a plain pass.
 */
export interface Finding {
  /** Id of the rule that produced the finding. */
  readonly ruleId: string;
  /** Title of that rule. */
  readonly title: string;
  /** Severity of that rule. */
  readonly severity: Severity;
  /** STRIDE threat categories of that rule. */
  readonly stride: Stride[];
  /** FAIL or UNEVALUABLE (passes are not findings). */
  readonly outcome: Outcome;
  /** The object the finding is about. */
  readonly object: ObjectRef;
  /** JSON path of the offending field. */
  readonly path: string;
  /** What is wrong, with the offending value. */
  readonly message: string;
  /** How to fix it. */
  readonly remediation: string;
  /**
   * The waiver that covers this finding.
   * @default - not waived
   */
  readonly waiver?: WaiverRecord;
}
