/**
 * The dependency rule of lib/, checked in CI (`npm run lint:deps`, run by .ci/run) by dependency-cruiser.
 * Layers, lowest first; a layer may import only the layers below it (and itself):
 *   1. lib/kube        reading input as kubectl does, Kubernetes API knowledge (kinds served per release, CRD shapes,
 *                      PSS versions), and the cache helper every layer uses
 *   2. lib/semantics   the evaluators: rbac/, netreach/, audit/, mesh/, ingress/
 *   3. lib/policy      engine, catalogue, guard/, profile, waivers, rules/, custom rules, errors, types, peers/
 *   4. lib/admission, lib/threat           (derive policies and reports from the catalogue)
 *   5. the constructs: lib/workload, lib/tenancy, lib/secrets, lib/audit, lib/network, lib/eks, lib/cluster-config,
 *      lib/supply-chain
 *   6. lib/cli    (the command line and the cdk8s plugin)
 * lib/report (the HTML pages) is a leaf beside the layers: it renders the JSON of a check or threat report and imports
 * nothing else of lib/, so the threat model (ThreatModel.toHtml) and the CLI may both use it.
 * aws-cdk-lib is an optional peer: only the AWS construct folders may import it. Nothing in lib/ may import tests,
 * scripts, examples or a devDependency (the published package never needs one at run time), and there is no cycle,
 * type-only imports included.
 */
const CONSTRUCTS = 'workload|tenancy|secrets|audit|network|eks|cluster-config|supply-chain';
const above = layers => ({ path: `^lib/(${layers})/` });
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'import cycles, type-only imports included', from: { path: '^lib/' }, to: { circular: true } },
    { name: 'kube-is-the-base', severity: 'error', comment: 'lib/kube imports nothing else of lib/',
      from: { path: '^lib/kube/' }, to: { path: '^lib/', pathNot: '^lib/kube/' } },
    { name: 'semantics-below-policy', severity: 'error', comment: 'the evaluators import lib/kube only',
      from: { path: '^lib/semantics/' }, to: { path: '^lib/', pathNot: '^lib/(kube|semantics)/' } },
    { name: 'policy-is-the-core', severity: 'error', comment: 'lib/policy imports no derived, construct, report or CLI code',
      from: { path: '^lib/policy/' }, to: above(`admission|threat|${CONSTRUCTS}|report|cli`) },
    { name: 'derived-layers-stay-below-constructs', severity: 'error', comment: 'admission and threat code imports no construct or CLI code',
      from: { path: '^lib/(admission|threat)/' }, to: above(`${CONSTRUCTS}|cli`) },
    { name: 'admission-renders-no-html', severity: 'error', from: { path: '^lib/admission/' }, to: above('report') },
    { name: 'constructs-do-not-import-tools', severity: 'error', comment: 'constructs import no report or CLI code',
      from: { path: `^lib/(${CONSTRUCTS})/` }, to: above('report|cli') },
    { name: 'report-is-a-leaf', severity: 'error', comment: 'lib/report renders report JSON as HTML and imports nothing else of lib/',
      from: { path: '^lib/report/' }, to: { path: '^lib/', pathNot: '^lib/report/' } },
    { name: 'aws-only-in-aws-constructs', severity: 'error', comment: 'aws-cdk-lib is an optional peer dependency',
      from: { path: '^lib/', pathNot: '^lib/(secrets|audit|network|eks|aws)/' }, to: { path: 'node_modules/aws-cdk-lib/' } },
    { name: 'no-test-or-script-code', severity: 'error', from: { path: '^lib/' }, to: { path: '^(test|scripts|examples)/' } },
    { name: 'no-dev-dependency-at-run-time', severity: 'error', comment: 'peer dependencies are also devDependencies here; they are allowed',
      from: { path: '^lib/' }, to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['npm-peer', 'type-only'] } },
    { name: 'no-unresolvable', severity: 'error', comment: 'formatters.ts reads package.json from the source or the build layout',
      from: { path: '^lib/' }, to: { couldNotResolve: true, pathNot: 'package\\.json$' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.d\\.ts$' },
  },
};
