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
import { ingressHost } from './ingress-host';
import { ingressTls } from './ingress-tls';
import { gatewayListenerTls } from './gateway-listener-tls';
import { serviceExternalName } from './service-external-name';
import { podDefaultServiceAccount } from './pod-default-service-account';
import { serviceAccountFieldDeprecated } from './service-account-field-deprecated';
import { podGroupRoot } from './pod-group-root';
import { containerInteractive } from './container-interactive';
import { podHostAliases } from './pod-host-aliases';
import { podHostUsers } from './pod-host-users';
import { containerEphemeralStorageLimit } from './container-ephemeral-storage-limit';
import { containerSshPort } from './container-ssh-port';
import { ingressPathType } from './ingress-path-type';
import { ingressClassExplicit } from './ingress-class-explicit';
import { httpRouteHostnames } from './httproute-hostnames';
import { httpRouteParentListener } from './httproute-parent-listener';
import { ingressControllerInjection } from './ingress-controller-injection';
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
