import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { DNS1123 } from '../kube/k8s-syntax';
import { invalidProp } from '../secrets/private/errors';

/** How much a tenant principal may do in its namespaces. */
export enum TenantAccessLevel {
  /** `AmazonEKSViewPolicy`: read namespaced objects (not Secrets). */
  VIEW = 'AmazonEKSViewPolicy',
  /** `AmazonEKSEditPolicy`: create, change and delete most namespaced objects (no RBAC). */
  EDIT = 'AmazonEKSEditPolicy',
}

/** Props of a {@link TenantAccessEntry}. */
export interface TenantAccessEntryProps {
  /** The cluster (aws-eks-v2; `ExistingEksCluster.fromClusterAttributes` for an existing one). */
  readonly cluster: eks.ICluster;
  /** ARN of the IAM role (or user) of the tenant team. */
  readonly principalArn: string;
  /** The tenant's namespaces (e.g. those of its IsolatedNamespace): the only scope of the access policy. */
  readonly namespaces: string[];
  /**
   * The access policy.
   * @default TenantAccessLevel.EDIT — a team deploys its workloads; it never administers RBAC or anything cluster-wide
   */
  readonly accessLevel?: TenantAccessLevel;
}

/**
 * An EKS access entry for a tenant team, with a namespace-scoped access policy (never a cluster-scoped one): the team's
 * IAM principal may act in its namespaces only. AmazonEKSAdminPolicy and AmazonEKSClusterAdminPolicy are not offered.
 */
export class TenantAccessEntry extends Construct {
  /** The access entry. */
  public readonly accessEntry: eks.AccessEntry;

  /** Creates the access entry for the principal and namespaces given in props. */
  constructor(scope: Construct, id: string, props: TenantAccessEntryProps) {
    super(scope, id);
    const namespaces = props.namespaces ?? [];
    if (namespaces.length === 0) {
      throw invalidProp(this, 'props.namespaces', namespaces, 'is empty: a tenant access policy is scoped to its namespaces.', 'name the tenant\'s namespaces, e.g. ["team-a"].');
    }
    for (const [i, ns] of namespaces.entries()) {
      if (typeof ns !== 'string' || !DNS1123.test(ns) || ns.startsWith('kube-')) {
        throw invalidProp(this, `props.namespaces[${i}]`, ns, 'is not a tenant namespace (a DNS-1123 label outside kube-*).', 'use the tenant\'s own namespace, e.g. "team-a".');
      }
    }
    const level = props.accessLevel ?? TenantAccessLevel.EDIT;
    if (!Object.values(TenantAccessLevel).includes(level)) {
      throw invalidProp(this, 'props.accessLevel', level, 'is not a tenant access level.', 'use TenantAccessLevel.EDIT or VIEW.');
    }
    this.accessEntry = new eks.AccessEntry(this, 'AccessEntry', {
      cluster: props.cluster,
      principal: props.principalArn,
      accessPolicies: [eks.AccessPolicy.fromAccessPolicyName(level, { accessScopeType: eks.AccessScopeType.NAMESPACE, namespaces })],
    });
  }
}
