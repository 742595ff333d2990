import { parseAllDocuments } from 'yaml';

/** Input kubectl would refuse. */
export class KubeYamlError extends Error {
  constructor(message: string, public readonly line?: number) {
    super(message);
    this.name = 'KubeYamlError';
  }
}

/**
 * Read a multi-document YAML stream as kubectl does (YAML 1.1 scalars, merge keys): one value per document, `null`
 * for an empty document. (Interim reader; the kubectl-differential reader replaces it.)
 */
export function readKubeYaml(text: string): unknown[] {
  const docs = parseAllDocuments(text, { version: '1.1', merge: true, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs as any];
  return list.map((d, i) => {
    if (d.errors.length > 0) throw new KubeYamlError(`document ${i}: ${d.errors[0].message.split('\n')[0]}`);
    const v = d.toJS({ maxAliasCount: 1000 });
    return v === undefined ? null : v;
  });
}
