import { CfnJson, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { DNS1123, DNS1123_SUBDOMAIN } from '../kube/k8s-syntax';
import { fail } from '../policy/construct-check';
import { HardeningError } from '../policy/errors';
import { SecretsEncryptionKey } from './key';
import { invalidProp } from './private/errors';
import { ServiceAccountRef } from './service-account-ref';

/**
 * How a Kubernetes ServiceAccount obtains the IAM role.
 */
export enum WorkloadIdentityType {
  /** EKS Pod Identity: `pods.eks.amazonaws.com` assumes the role with session tags; an association binds it. */
  POD_IDENTITY = 'pod-identity',
  /** IAM Roles for Service Accounts: `AssumeRoleWithWebIdentity` with the cluster's OIDC provider. */
  IRSA = 'irsa',
}

/**
 * Options of {@link WorkloadIdentity.podIdentity}.
 */
export interface PodIdentityOptions {
  /** Name of the EKS cluster (`cluster.clusterName`; a token is fine). */
  readonly clusterName: string;
}

/**
 * Options of {@link WorkloadIdentity.irsa}.
 */
export interface IrsaOptions {
  /** ARN of the cluster's IAM OIDC provider (`cluster.openIdConnectProvider.openIdConnectProviderArn`). */
  readonly oidcProviderArn: string;
  /**
   * Issuer of the OIDC provider without `https://` (`cluster.openIdConnectProvider.openIdConnectProviderIssuer`;
   * a token is fine), e.g. `oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`.
   */
  readonly oidcIssuer: string;
}

/**
 * How workload roles are assumed: EKS Pod Identity or IRSA. Either way the role trusts exactly one
 * namespace/ServiceAccount.
 */
export class WorkloadIdentity {
  /** EKS Pod Identity on this cluster (needs the eks-pod-identity-agent add-on). */
  public static podIdentity(options: PodIdentityOptions): WorkloadIdentity {
    return new WorkloadIdentity(WorkloadIdentityType.POD_IDENTITY, options.clusterName, undefined, undefined);
  }

  /**
   * IRSA with an IAM OIDC provider: one this app creates (`new eks.OidcProviderNative(...)`) or an existing one of an
   * existing cluster (`iam.OidcProviderNative.fromOidcProviderArn(this, 'Oidc', arn)`, whose issuer is taken from the ARN).
   */
  public static irsaFromProvider(provider: iam.IOidcProvider): WorkloadIdentity {
    return WorkloadIdentity.irsa({ oidcProviderArn: provider.oidcProviderArn, oidcIssuer: provider.oidcProviderIssuer });
  }

  /** IRSA with this OIDC provider (also what External Secrets Operator's `jwt` auth uses). */
  public static irsa(options: IrsaOptions): WorkloadIdentity {
    const issuer = Token.isUnresolved(options.oidcIssuer) ? options.oidcIssuer : options.oidcIssuer.replace(/^https:\/\//, '');
    return new WorkloadIdentity(WorkloadIdentityType.IRSA, undefined, options.oidcProviderArn, issuer);
  }

  /** Pod Identity or IRSA. */
  public readonly type: WorkloadIdentityType;
  /** Cluster name (Pod Identity). @default - not Pod Identity */
  public readonly clusterName?: string;
  /** OIDC provider ARN (IRSA). @default - not IRSA */
  public readonly oidcProviderArn?: string;
  /** OIDC issuer without scheme (IRSA). @default - not IRSA */
  public readonly oidcIssuer?: string;

  private constructor(type: WorkloadIdentityType, clusterName?: string, oidcProviderArn?: string, oidcIssuer?: string) {
    this.type = type;
    this.clusterName = clusterName;
    this.oidcProviderArn = oidcProviderArn;
    this.oidcIssuer = oidcIssuer;
  }
}

/**
 * Props of an {@link EncryptedSecretsProvider}.
 */
export interface EncryptedSecretsProviderProps {
  /** How workloads assume their roles (Pod Identity or IRSA). */
  readonly identity: WorkloadIdentity;
  /**
   * The KMS key that encrypts the secrets.
   * @default - `existingKey`, else a new SecretsEncryptionKey with its defaults (rotation, RETAIN, 30-day pending window)
   */
  readonly encryptionKey?: SecretsEncryptionKey;
  /**
   * An existing customer-managed KMS key instead (`kms.Key.fromKeyArn(this, 'Key', arn)`), e.g. the key an existing
   * cluster already encrypts its Secrets with. Its policy is not changed: it must delegate to IAM (the account root
   * statement) so that Secrets Manager can use it for this account's principals, as `SecretsEncryptionKey`'s does.
   * Never an AWS-managed key (`alias/aws/secretsmanager`): its policy cannot restrict who decrypts.
   * @default - `encryptionKey`
   */
  readonly existingKey?: kms.IKey;
}

/**
 * Options of {@link EncryptedSecretsProvider.addSecret}.
 */
export interface ProtectedSecretOptions {
  /** Name of the secret in Secrets Manager, e.g. `shop/db`; manifests reference it by this name. */
  readonly secretName: string;
  /**
   * Description of the secret.
   * Descriptions are metadata only; never put secret material in them.
   * @default - none
   */
  readonly description?: string;
  /**
   * How Secrets Manager generates the initial value (at creation time, inside AWS: never in the template).
   * @default - a random 32-character password; for third-party credentials overwrite it out of band
   *            (`aws secretsmanager put-secret-value`), never through CloudFormation
   */
  readonly generateSecretString?: secretsmanager.SecretStringGenerator;
  /**
   * What happens to the secret when it leaves the stack.
   * @default RemovalPolicy.RETAIN — a deleted secret cannot be recovered after its recovery window; keep it
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * A Lambda function that rotates the secret (Secrets Manager's four-step rotation: createSecret, setSecret,
   * testSecret, finishSecret), e.g. one that changes the password in the database the secret belongs to.
   * @default - no rotation function; see `hostedRotation` and `rotationDisabledReason`
   */
  readonly rotationLambda?: lambda.IFunction;
  /**
   * A rotation function Secrets Manager hosts for a supported database (`secretsmanager.HostedRotation.postgreSqlSingleUser()`, ...).
   * @default - none
   */
  readonly hostedRotation?: secretsmanager.HostedRotation;
  /**
   * How often the secret is rotated (with `rotationLambda` or `hostedRotation`).
   * @default Duration.days(30) — a leaked value is useful for a month at most
   */
  readonly rotateAfter?: Duration;
  /**
   * Why the secret is not rotated by this stack, e.g. `'third-party API key: the vendor rotates it, ticket SEC-12'`.
   * Kept in the construct's metadata, and the reason of the cdk-nag acknowledgment of AwsSolutions-SMG4 and of the
   * NIST / HIPAA rotation rules.
   * @default - none: without rotation and without a reason, cdk-nag reports the secret (your decision to make)
   */
  readonly rotationDisabledReason?: string;
}

/**
 * Options of {@link EncryptedSecretsProvider.roleFor}.
 */
export interface WorkloadRoleOptions {
  /**
   * Physical name of the role. Set it when a standalone manifest must carry the role ARN (IRSA annotation):
   * `roleArnForManifests` is then a plain string.
   * @default - generated by CloudFormation: reference it through `roleArn` in a chart that CloudFormation deploys
   *            (`Guard.of(chart).allowCloudFormationTokens()`, then `cluster.addCdk8sChart(id, chart)`)
   */
  readonly roleName?: string;
}

/**
 * The AWS half of secret delivery: secrets in AWS Secrets Manager encrypted with a customer-managed KMS key, and one
 * IAM role per Kubernetes ServiceAccount that may read exactly the secrets granted to it.
 *
 * ```ts
 * const provider = new EncryptedSecretsProvider(stack, 'Secrets', {
 *   identity: WorkloadIdentity.podIdentity({ clusterName: cluster.clusterName }),
 * });
 * const db = provider.addSecret('Db', { secretName: 'shop/db' });
 * db.grantRead({ namespace: 'shop', serviceAccountName: 'api' });
 * ```
 */
export class EncryptedSecretsProvider extends Construct {
  /** The SecretsEncryptionKey. @default - undefined when the provider uses `existingKey` */
  public readonly encryptionKey?: SecretsEncryptionKey;
  /** The KMS key that encrypts the secrets (the SecretsEncryptionKey's, or the existing one). */
  public readonly key: kms.IKey;
  /** ARN of the key. */
  public readonly keyArn: string;
  /** How workload roles are assumed. */
  public readonly identity: WorkloadIdentity;
  private readonly roles = new Map<string, WorkloadSecretsRole>();

  /** Creates (or adopts) the KMS key and wires envelope encryption of Secrets for the cluster given in props. */
  constructor(scope: Construct, id: string, props: EncryptedSecretsProviderProps) {
    super(scope, id);
    this.identity = props.identity;
    if (props.encryptionKey && props.existingKey) {
      throw invalidProp(this, 'props.existingKey', props.existingKey.keyArn, 'is set together with props.encryptionKey: the secrets can be encrypted with one key only.',
        'pass either encryptionKey (a key of this app) or existingKey (an imported key).');
    }
    if (props.existingKey) {
      this.key = props.existingKey;
    } else {
      this.encryptionKey = props.encryptionKey ?? new SecretsEncryptionKey(this, 'Key');
      this.key = this.encryptionKey.key;
    }
    this.keyArn = this.key.keyArn;
  }

  /** A new Secrets Manager secret encrypted with the provider's key. Its value never appears in the template. */
  public addSecret(id: string, options: ProtectedSecretOptions): ProtectedSecret {
    return new ProtectedSecret(this, id, { ...options, provider: this });
  }

  /**
   * The role of one namespace/ServiceAccount, created on first use. Grants accumulate on it.
   */
  public roleFor(workload: ServiceAccountRef, options: WorkloadRoleOptions = {}): WorkloadSecretsRole {
    const namespace = workload.namespace;
    if (namespace === undefined || namespace === '') {
      throw invalidProp(this, 'workload.namespace', namespace,
        'a role must be scoped to exactly one namespace, and the workload has none (it would run wherever kubectl points).',
        'give the workload (or its chart) a namespace.');
    }
    const key = `${namespace}/${workload.serviceAccountName}`;
    const existing = this.roles.get(key);
    if (existing) {
      if (options.roleName !== undefined && options.roleName !== existing.roleName) {
        throw invalidProp(this, 'options.roleName', options.roleName, `the role of ${key} already exists with another name.`,
          'call roleFor() with the role name before the first grantRead() of this workload.');
      }
      return existing;
    }
    const role = new WorkloadSecretsRole(this, `Role-${namespace}-${workload.serviceAccountName}`, {
      namespace,
      serviceAccountName: workload.serviceAccountName,
      identity: this.identity,
      keyArn: this.keyArn,
      roleName: options.roleName,
    });
    this.roles.set(key, role);
    return role;
  }

  /** Let one namespace/ServiceAccount read one secret. Returns its role. */
  public grantRead(workload: ServiceAccountRef, secret: ProtectedSecret): WorkloadSecretsRole {
    const role = this.roleFor(workload);
    role._allowRead(secret);
    return role;
  }
}

/**
 * Props of a {@link ProtectedSecret}.
 */
export interface ProtectedSecretProps extends ProtectedSecretOptions {
  /** The provider whose key encrypts the secret and whose roles may be granted access. */
  readonly provider: EncryptedSecretsProvider;
}

/**
 * A Secrets Manager secret encrypted with the provider's customer-managed key. There is no prop for a literal
 * value: values are generated by Secrets Manager or set out of band, never written to the template.
 */
export class ProtectedSecret extends Construct {
  /** The secret. */
  public readonly secret: secretsmanager.Secret;
  /** Name of the secret (what manifests reference). */
  public readonly secretName: string;
  /** Complete ARN of the secret (with its random suffix): IAM grants name exactly this resource. */
  public readonly secretArn: string;
  private readonly provider: EncryptedSecretsProvider;

  /** Creates the encrypted secret and the delivery objects given in props. */
  constructor(scope: Construct, id: string, props: ProtectedSecretProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.secretName) && !/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(props.secretName)) {
      throw invalidProp(this, 'props.secretName', props.secretName, 'is not a valid Secrets Manager name.', 'use letters, digits and `/_+=.@-`.');
    }
    this.provider = props.provider;
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: props.secretName,
      description: props.description,
      encryptionKey: props.provider.key,
      generateSecretString: props.generateSecretString ?? { passwordLength: 32 },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.secretName = props.secretName;
    this.secretArn = this.secret.secretArn;

    const rotators = [props.rotationLambda, props.hostedRotation].filter(x => x !== undefined);
    const reason = props.rotationDisabledReason;
    if (rotators.length > 1) {
      throw invalidProp(this, 'props.hostedRotation', 'set', 'is set together with rotationLambda: a secret has one rotation function.', 'keep one of them.');
    }
    if (reason !== undefined && (typeof reason !== 'string' || reason.trim() === '')) {
      throw invalidProp(this, 'props.rotationDisabledReason', reason, 'must say why the secret is not rotated.', 'e.g. "the vendor rotates this API key (SEC-12)".');
    }
    if (reason !== undefined && rotators.length > 0) {
      throw invalidProp(this, 'props.rotationDisabledReason', reason, 'is set together with a rotation function.', 'remove the reason (the secret is rotated) or the rotation function.');
    }
    if (props.rotateAfter !== undefined && rotators.length === 0) {
      throw invalidProp(this, 'props.rotateAfter', `${props.rotateAfter.toDays({ integral: false })} days`, 'has no rotation function to run.', 'set rotationLambda or hostedRotation.');
    }
    if (rotators.length > 0) {
      this.secret.addRotationSchedule('Rotation', {
        rotationLambda: props.rotationLambda,
        hostedRotation: props.hostedRotation,
        automaticallyAfter: props.rotateAfter ?? Duration.days(30),
      });
    }
    if (reason !== undefined) {
      this.node.addMetadata('cdk8s-hardened:rotationDisabledReason', reason);
      for (const id of ['AwsSolutions-SMG4', 'NIST.800.53.R5-SecretsManagerRotationEnabled', 'HIPAA.Security-SecretsManagerRotationEnabled']) {
        Validations.of(this.secret).acknowledge({ id, reason: `Not rotated by this stack: ${reason}` });
      }
    }
  }

  /** Let exactly this namespace/ServiceAccount read this secret (GetSecretValue/DescribeSecret, kms:Decrypt via Secrets Manager). */
  public grantRead(workload: ServiceAccountRef): WorkloadSecretsRole {
    return this.provider.grantRead(workload, this);
  }
}

/**
 * Props of a {@link WorkloadSecretsRole}.
 */
export interface WorkloadSecretsRoleProps {
  /** Namespace of the ServiceAccount. */
  readonly namespace: string;
  /** Name of the ServiceAccount. */
  readonly serviceAccountName: string;
  /** How the role is assumed. */
  readonly identity: WorkloadIdentity;
  /** ARN of the key that encrypts the secrets this role reads. */
  readonly keyArn: string;
  /**
   * Physical role name.
   * @default - generated by CloudFormation
   */
  readonly roleName?: string;
}

/**
 * The IAM role of one Kubernetes ServiceAccount. Its trust policy admits exactly that namespace and ServiceAccount:
 * - Pod Identity: `pods.eks.amazonaws.com` with `sts:AssumeRole` + `sts:TagSession`, conditioned on the session
 *   tags `kubernetes-namespace`, `kubernetes-service-account`, `eks-cluster-name`, `aws:SourceAccount` and
 *   `aws:SourceArn` (the cluster's ARN); an
 *   `AWS::EKS::PodIdentityAssociation` (session tags on) binds it;
 * - IRSA: the OIDC provider with `sts:AssumeRoleWithWebIdentity`, `sub` = `system:serviceaccount:<ns>:<sa>` and
 *   `aud` = `sts.amazonaws.com` (StringEquals).
 * Its permissions: `secretsmanager:GetSecretValue` and `DescribeSecret` on the exact ARNs granted, and `kms:Decrypt`
 * on the key only via Secrets Manager in this region and only for those secrets (encryption context `SecretARN`).
 */
export class WorkloadSecretsRole extends Construct {
  /** The role. */
  public readonly role: iam.Role;
  /** ARN of the role (a CloudFormation reference). */
  public readonly roleArn: string;
  /**
   * The role ARN as a plain string for standalone manifests (IRSA annotation), for a role with a `roleName` in a stack
   * whose account and region are known at synth time (`env`). Reading it for a named role in a stack without `env`
   * throws a HardeningError (unresolved-token) that says so.
   * @default - undefined without a roleName: use `roleArn` in a chart that CloudFormation deploys
   *            (`Guard.of(chart).allowCloudFormationTokens()`, then `cluster.addCdk8sChart(id, chart)`)
   */
  public get roleArnForManifests(): string | undefined {
    if (this._roleArnForManifests === undefined && this.roleName !== undefined) {
      const stack = Stack.of(this);
      const missing = [Token.isUnresolved(stack.account) ? 'account' : '', Token.isUnresolved(stack.region) ? 'region' : ''].filter(x => x).join(' and ');
      const cause = missing
        ? `needs the ${missing} of stack "${stack.stackName}" at synth time, and the stack has no \`env\` (or an env with unresolved values): `
          + 'the ARN written into a standalone manifest would hold a literal "${Token[...]}".'
        : 'needs a literal roleName: the role name is an unresolved token.';
      throw new HardeningError({
        path: this.node.path,
        field: 'roleArnForManifests',
        value: `arn:<partition>:iam::${Token.isUnresolved(stack.account) ? '<account: unresolved, no env>' : stack.account}:role/${Token.isUnresolved(this.roleName) ? '<unresolved>' : this.roleName}`,
        ruleId: 'unresolved-token',
        message: cause,
        fix: missing
          ? `give the stack an account and region: \`new Stack(app, '${stack.node.id}', { env: { account: '123456789012', region: 'eu-west-1' } })\` `
            + '(with the cdk CLI: `env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }`); '
            + 'or use `roleArn` in a chart that CloudFormation deploys (`Guard.of(chart).allowCloudFormationTokens()`, then `cluster.addCdk8sChart(id, chart)`).'
          : 'pass a literal roleName to roleFor().',
      });
    }
    return this._roleArnForManifests;
  }

  /** Physical role name, if set. @default - generated */
  public readonly roleName?: string;
  /** Namespace the role is scoped to. */
  public readonly namespace: string;
  /** ServiceAccount the role is scoped to. */
  public readonly serviceAccountName: string;
  /** The Pod Identity association. @default - undefined for IRSA */
  public readonly podIdentityAssociation?: eks.CfnPodIdentityAssociation;

  /** The customer-managed policy that holds the grants (managed, not inline, so it is reviewable and reusable). */
  public readonly policy: iam.ManagedPolicy;

  private readonly _roleArnForManifests?: string;
  private readonly readStatement: iam.PolicyStatement;
  private readonly decryptStatement: iam.PolicyStatement;
  private readonly secretArns: string[] = [];
  private readonly decryptRegion: string;

  /** Creates the role a workload ServiceAccount assumes to read the secrets given in props. */
  constructor(scope: Construct, id: string, props: WorkloadSecretsRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    if (!Token.isUnresolved(props.namespace) && !DNS1123.test(props.namespace)) {
      fail(this, 'metadata-valid', 'props.namespace', props.namespace, 'is not a valid namespace name.', 'use a DNS-1123 label.');
    }
    if (!Token.isUnresolved(props.serviceAccountName) && !DNS1123_SUBDOMAIN.test(props.serviceAccountName)) {
      fail(this, 'metadata-valid', 'props.serviceAccountName', props.serviceAccountName, 'is not a valid ServiceAccount name.', 'use a DNS-1123 subdomain.');
    }
    this.namespace = props.namespace;
    this.serviceAccountName = props.serviceAccountName;
    this.roleName = props.roleName;

    const description = `Reads granted Secrets Manager secrets for ServiceAccount ${props.namespace}/${props.serviceAccountName} (cdk8s-hardened)`;
    const identity = props.identity;
    let principal: iam.IPrincipal;
    if (identity.type === WorkloadIdentityType.POD_IDENTITY) {
      // aws:SourceArn: Pod Identity assumes the role for this cluster only (confused-deputy protection; the session tag
      // alone is a value the service writes, the source ARN is the cluster the request comes from).
      principal = new iam.SessionTagsPrincipal(new iam.PrincipalWithConditions(new iam.ServicePrincipal('pods.eks.amazonaws.com'), {
        StringEquals: {
          'aws:SourceAccount': stack.account,
          'aws:RequestTag/eks-cluster-name': identity.clusterName!,
          'aws:RequestTag/kubernetes-namespace': props.namespace,
          'aws:RequestTag/kubernetes-service-account': props.serviceAccountName,
        },
        ArnEquals: { 'aws:SourceArn': stack.formatArn({ service: 'eks', resource: 'cluster', resourceName: identity.clusterName! }) },
      }));
    } else {
      const issuer = identity.oidcIssuer!;
      const claims = {
        [`${issuer}:sub`]: `system:serviceaccount:${props.namespace}:${props.serviceAccountName}`,
        [`${issuer}:aud`]: 'sts.amazonaws.com',
      };
      // Condition keys that contain a token need CfnJson to become JSON object keys at deploy time.
      const stringEquals = Token.isUnresolved(issuer) ? new CfnJson(this, 'TrustConditions', { value: claims }) : claims;
      principal = new iam.FederatedPrincipal(identity.oidcProviderArn!, { StringEquals: stringEquals }, 'sts:AssumeRoleWithWebIdentity');
    }

    this.role = new iam.Role(this, 'Role', { roleName: props.roleName, description, assumedBy: principal });
    this.roleArn = this.role.roleArn;
    if (props.roleName && !Token.isUnresolved(props.roleName) && !Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region)) {
      const partition = RegionInfo.get(stack.region).partition ?? 'aws';
      this._roleArnForManifests = `arn:${partition}:iam::${stack.account}:role/${props.roleName}`;
    }

    this.readStatement = new iam.PolicyStatement({
      sid: 'ReadGrantedSecrets',
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resources: [],
    });
    this.decryptStatement = new iam.PolicyStatement({
      sid: 'DecryptGrantedSecretsThroughSecretsManager',
      actions: ['kms:Decrypt'],
      resources: [props.keyArn],
    });
    this.policy = new iam.ManagedPolicy(this, 'Policy', { description, roles: [this.role] });
    this.node.addValidation({
      validate: () => this.secretArns.length === 0
        ? [`the role of ${props.namespace}/${props.serviceAccountName} was created but no secret was granted to it. Fix: call grantRead() or remove roleFor().`]
        : [],
    });

    if (identity.type === WorkloadIdentityType.POD_IDENTITY) {
      this.podIdentityAssociation = new eks.CfnPodIdentityAssociation(this, 'PodIdentityAssociation', {
        clusterName: identity.clusterName!,
        namespace: props.namespace,
        serviceAccount: props.serviceAccountName,
        roleArn: this.role.roleArn,
        disableSessionTags: false,
      });
    }
    this.decryptRegion = stack.region;
  }

  /** @internal Adds one secret to this role's grants. */
  public _allowRead(secret: ProtectedSecret): void {
    if (this.secretArns.includes(secret.secretArn)) return;
    if (this.secretArns.length === 0) {
      this.policy.addStatements(this.readStatement, this.decryptStatement);
    }
    this.secretArns.push(secret.secretArn);
    this.readStatement.addResources(secret.secretArn);
    this.decryptStatement.addCondition('StringEquals', {
      'kms:ViaService': `secretsmanager.${this.decryptRegion}.amazonaws.com`,
      'kms:EncryptionContext:SecretARN': [...this.secretArns],
    });
  }
}
