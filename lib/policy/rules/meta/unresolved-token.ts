import { findUnresolved } from '../../../kube/manifest';
import { IRule, Severity, Stride } from '../../types';

export const unresolvedToken: IRule = {
  id: 'unresolved-token',
  title: 'No unresolved tokens in synthesized manifests',
  stride: [Stride.TAMPERING, Stride.DENIAL_OF_SERVICE],
  severity: Severity.ERROR,
  waivable: false,
  appliesTo: ['*'],
  description: 'A `${Token[...]}` string (or an encoded numeric token) in a manifest is an AWS CDK value that only resolves ' +
    'inside a CloudFormation deployment. Applied as YAML it is a literal garbage value: images, ARNs or selectors that do not ' +
    'exist, and every other rule is blind to the real value.',
  remediation: 'Pass concrete values (e.g. an ARN string, not `key.keyArn`) to standalone cdk8s charts. A chart that CloudFormation ' +
    'deploys (the EKS cluster\'s `addCdk8sChart()`, or `addManifest()` with `ClusterManifest.fromChart()`) may keep the tokens: call ' +
    '`Guard.of(chart).allowCloudFormationTokens()` before adding it to the cluster, and CloudFormation resolves them.',
  references: ['DESIGN.md: unresolved tokens in cdk8s output fail synth'],
  peers: [],
  threats: ['T3-manifest-and-etcd-tampering'],
  admission: { notGenerated: 'a synth-time artefact (cdk8s/AWS CDK tokens); never present in an API request' },
  check(obj) {
    const paths = findUnresolved(obj);
    // almost every object holds no token (findUnresolved then builds no path)
    if (paths.length === 0) return [];
    return paths.map(path => ({
      path,
      message: `unresolved token at ${path}.`,
    }));
  },
};
