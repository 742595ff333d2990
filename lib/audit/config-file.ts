import { ApiObject } from 'cdk8s';
import { KUBEADM_PATCH_ANNOTATION } from '../policy/rules/node/kubeadm-util';

/** A configuration file for a control-plane component: no metadata (the component does not expect one). */
export class ConfigFileObject extends ApiObject {
  public toJson(): any {
    const json = super.toJson();
    const patch = json.metadata?.annotations?.[KUBEADM_PATCH_ANNOTATION];
    delete json.metadata;
    // A patch keeps its marker (kubeadm ignores metadata with a warning), so every reader judges it as a patch.
    if (patch !== undefined) json.metadata = { annotations: { [KUBEADM_PATCH_ANNOTATION]: patch } };
    return json;
  }
}
