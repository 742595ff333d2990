// Keep guard warnings out of test output unless a test asks for them.
process.env.CDK8S_HARDENED_QUIET = '1';
