export * from './types';
export * from './profile';
export * from './waiver';
export * from './guard';
export * from './catalogue';
export { KubeVersion } from '../kube/kube-version';
export * from './signers';
