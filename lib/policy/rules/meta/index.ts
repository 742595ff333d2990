import { IRule } from '../../types';
import { kubeListValid } from './kube-list-valid';
import { metadataValid } from './metadata-valid';
import { unresolvedToken } from './unresolved-token';
import { waiverExpired } from './waiver-expired';
import { waiverInvalid } from './waiver-invalid';
import { waiverUnused } from './waiver-unused';

/** Rules about every object: evaluability, waivers, and metadata the API server would reject. */
export const META_RULES: IRule[] = [unresolvedToken, waiverInvalid, waiverExpired, waiverUnused, metadataValid, kubeListValid];
