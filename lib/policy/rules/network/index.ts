import { IRule } from '../../types';

/** Rules of this area, in catalogue order. Add one import per rule file. */
export const NETWORK_RULES: IRule[] = [];
