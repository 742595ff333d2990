// Keep guard warnings out of test output unless a test asks for them.
process.env.CDK8S_HARDENED_QUIET = '1';
// Every guarded synthesis in the suite checks that the guard's fast YAML writer wrote cdk8s's exact bytes and that
// kubectl reads them back as the documents judged (lib/kube/kube-yaml-writer.ts).
process.env.CDK8S_HARDENED_VERIFY_WRITES = '1';
// `npm test` prints jest's report only (issue 28): statistics that suites log for their authors (differential counts,
// CEL cost estimates) are shown with CDK8S_HARDENED_TEST_LOG=1. Warnings and errors always print. Tests that assert on
// console output spy on it (jest.spyOn), which still sees every call.
if (process.env.CDK8S_HARDENED_TEST_LOG !== '1') {
  console.log = () => undefined;
  console.info = () => undefined;
}
