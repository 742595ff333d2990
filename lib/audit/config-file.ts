import { ApiObject } from 'cdk8s';

/** A configuration file for a control-plane component: no metadata (the component does not expect one). */
export class ConfigFileObject extends ApiObject {
  public toJson(): any {
    const json = super.toJson();
    delete json.metadata;
    return json;
  }
}
