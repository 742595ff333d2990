// The types of crd-shapes.ts that its generated data (crd-shapes-data.ts) also uses: declared apart so that the data
// does not import the code that reads it (no import cycle).

/** What a value of a custom resource is, by its schema. */
export type CrdShape = 'podSpec' | 'container' | 'podSecurityContext' | 'securityContext' | 'opaque';

/** Shapes of one version of a kind: [path pattern, shape]. */
export type ShapeList = ReadonlyArray<readonly [string, CrdShape]>;
