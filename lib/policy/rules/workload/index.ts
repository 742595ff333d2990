import { IRule } from '../../types';
import { containerEphemeralStorageLimit } from './container-ephemeral-storage-limit';
import { containerInteractive } from './container-interactive';
import { containerSshPort } from './container-ssh-port';
import { gatewayListenerTls } from './gateway-listener-tls';
import { httpRouteHostnames } from './httproute-hostnames';
import { httpRouteParentListener } from './httproute-parent-listener';
import { imageDigest } from './image-digest';
import { imageRegistryAllowed } from './image-registry-allowed';
import { imageTagLatest } from './image-tag-latest';
import { ingressClassExplicit } from './ingress-class-explicit';
import { ingressControllerInjection } from './ingress-controller-injection';
import { ingressHost } from './ingress-host';
import { ingressPathType } from './ingress-path-type';
import { ingressTls } from './ingress-tls';
import { memoryLimit } from './memory-limit';
import { persistentVolumeHostPath } from './persistent-volume-host-path';
import { podDefaultServiceAccount } from './pod-default-service-account';
import { podGroupRoot } from './pod-group-root';
import { podHostAliases } from './pod-host-aliases';
import { podHostUsers } from './pod-host-users';
import { readOnlyRootFilesystem } from './read-only-root-filesystem';
import { resourcesRequests } from './resources-requests';
import { serviceAccountFieldDeprecated } from './service-account-field-deprecated';
import { serviceAccountTokenAutomount } from './service-account-token-automount';
import { serviceExposure } from './service-exposure';
import { serviceExternalName } from './service-external-name';
import { volumeMountSystemPath } from './volume-mount-system-path';

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
  ingressHost,
  ingressTls,
  gatewayListenerTls,
  serviceExternalName,
  podDefaultServiceAccount,
  serviceAccountFieldDeprecated,
  podGroupRoot,
  containerInteractive,
  podHostAliases,
  podHostUsers,
  containerEphemeralStorageLimit,
  containerSshPort,
  ingressPathType,
  ingressClassExplicit,
  httpRouteHostnames,
  httpRouteParentListener,
  ingressControllerInjection,
  volumeMountSystemPath,
];
