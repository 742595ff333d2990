import { listProblem } from '../../../kube/kube-list';
import { IRule, Severity, Stride } from '../../types';

export const kubeListValid: IRule = {
  id: 'kube-list-valid',
  title: 'Objects with an items field are lists kubectl can read',
  stride: [Stride.TAMPERING, Stride.DENIAL_OF_SERVICE],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  waivable: false,
  description: 'kubectl reads ANY object with an `items` field as a list, whatever its kind, and applies its items ' +
    'instead of the object (k8s.io/apimachinery unstructured decode). The engine judges every item of a readable list ' +
    'as an object of its own; an `items` value that is not an array of objects (at any nesting depth) cannot be read ' +
    'that way, so what would be applied is unknown: kubectl rejects it today, another client may not. Blocks, never waivable.',
  remediation: 'Make `items` an array of Kubernetes objects (or remove the `items` field from an object that is not a list).',
  references: ['k8s.io/apimachinery pkg/apis/meta/v1/unstructured/helpers.go (unstructuredJSONScheme.decode, decodeToList)',
    'k8s.io/cli-runtime pkg/resource/visitor.go (FlattenListVisitor)'],
  peers: [],
  threats: ['T3-manifest-and-etcd-tampering'],
  admission: { notGenerated: 'lists are files, not API objects: the API server admits their items one by one' },
  check(obj) {
    const problem = listProblem(obj);
    return problem ? [{ path: 'items', message: `kubectl reads this ${String(obj?.kind ?? 'object')} as a list, but ${problem}.` }] : [];
  },
};
