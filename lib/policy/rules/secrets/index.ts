import { IRule } from '../../types';

/** Rules of this area, in catalogue order. Add one import per rule file. */
export const SECRETS_RULES: IRule[] = [];
