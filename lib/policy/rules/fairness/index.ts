import { IRule } from '../../types';
import { tenantApiFairness } from './tenant-api-fairness';

/** API Priority and Fairness rules. One import per rule file. */
export const FAIRNESS_RULES: IRule[] = [
  tenantApiFairness,
];
