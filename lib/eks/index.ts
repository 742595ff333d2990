// AWS-side EKS protections (aws-cdk-lib, optional peer).
export * from './threat-detection';
export * from './tenant-access';
export * from './node-launch-template';
