import { IRule } from '../../types';
import { imageDigest } from './image-digest';
import { imageRegistryAllowed } from './image-registry-allowed';
import { imageTagLatest } from './image-tag-latest';
import { memoryLimit } from './memory-limit';
import { persistentVolumeHostPath } from './persistent-volume-host-path';
import { readOnlyRootFilesystem } from './read-only-root-filesystem';
import { resourcesRequests } from './resources-requests';
import { serviceAccountTokenAutomount } from './service-account-token-automount';
import { serviceExposure } from './service-exposure';

/** Workload rules beyond the Pod Security Standards, in catalogue order. One import per rule file. */
export const WORKLOAD_RULES: IRule[] = [
  imageTagLatest,
  imageDigest,
  imageRegistryAllowed,
  resourcesRequests,
  memoryLimit,
  serviceAccountTokenAutomount,
  readOnlyRootFilesystem,
  serviceExposure,
  persistentVolumeHostPath,
];
