import { IRule } from '../../types';
import { privilegedContainer } from './privileged-container';

/** Pod Security Standards v1.28 controls (baseline, then restricted), in catalogue order. One import per rule file. */
export const POD_SECURITY_RULES: IRule[] = [
  privilegedContainer,
];
