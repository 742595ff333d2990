/**
 * The dependency rule of lib/, checked in CI (`npm run lint:deps`, run by .ci/run) by dependency-cruiser.
 * Layers, lowest first; a layer may import only the layers below it:
 *   1. lib/policy (engine, catalogue, guard, profile, waivers, rules, and the readers and evaluators they use)
 *   2. lib/admission, lib/threat           (derive policies and reports from the catalogue)
 *   3. the constructs: lib/workload, lib/tenancy, lib/secrets, lib/audit, lib/network
 *   4. lib/report (HTML pages), lib/cli    (the command line and the cdk8s plugin)
 * aws-cdk-lib is an optional peer: only the AWS construct folders may import it. Nothing in lib/ may import tests,
 * scripts, examples or a devDependency (the published package never needs one at run time), and there is no cycle,
 * type-only imports included.
 */
const CONSTRUCTS = '^lib/(workload|tenancy|secrets|audit|network)/';
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'import cycles, type-only imports included', from: { path: '^lib/' }, to: { circular: true } },
    { name: 'policy-is-the-core', severity: 'error', comment: 'lib/policy imports no construct, report or CLI code',
      from: { path: '^lib/policy/' }, to: { path: '^lib/(workload|tenancy|secrets|audit|network|admission|threat|report|cli)/' } },
    { name: 'derived-layers-stay-below-constructs', severity: 'error', comment: 'admission and threat code imports no construct, report or CLI code',
      from: { path: '^lib/(admission|threat)/' }, to: { path: '^lib/(workload|tenancy|secrets|audit|network|report|cli)/' } },
    { name: 'constructs-do-not-import-tools', severity: 'error', comment: 'constructs import no report or CLI code',
      from: { path: CONSTRUCTS }, to: { path: '^lib/(report|cli)/' } },
    { name: 'report-is-not-cli', severity: 'error', from: { path: '^lib/report/' }, to: { path: '^lib/cli/' } },
    { name: 'aws-only-in-aws-constructs', severity: 'error', comment: 'aws-cdk-lib is an optional peer dependency',
      from: { path: '^lib/', pathNot: '^lib/(secrets|audit|network|aws)/' }, to: { path: 'node_modules/aws-cdk-lib/' } },
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
