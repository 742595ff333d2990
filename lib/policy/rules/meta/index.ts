import { IRule } from '../../types';
import { waiverExpired } from './waiver-expired';
import { waiverInvalid } from './waiver-invalid';
import { unresolvedToken } from './unresolved-token';
import { waiverUnused } from './waiver-unused';

/** Rules about waivers and evaluability themselves. */
export const META_RULES: IRule[] = [unresolvedToken, waiverInvalid, waiverExpired, waiverUnused];
