// Keep guard warnings out of test output unless a test asks for them.
process.env.CDK8S_HARDENED_QUIET = '1';
// Every guarded synthesis in the suite checks that the guard's fast YAML writer wrote cdk8s's exact bytes and that
// kubectl reads them back as the documents judged (lib/policy/kube-yaml-writer.ts).
process.env.CDK8S_HARDENED_VERIFY_WRITES = '1';
