import { parseSource, locate } from '../lib/cli/input';
import * as fs from 'fs';
const objs = parseSource('x', fs.readFileSync('test/fixtures/cli/list.json'));
console.log(objs[0].pathInDocument, objs[0].docStart, objs[0].docEnd, objs[0].docLine);
console.log(locate(objs[0], 'spec.containers[0].securityContext.privileged'), locate(objs[0], ''));
const y = parseSource('y', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: c\n    securityContext:\n      privileged: true\n');
console.log(locate(y[0], 'spec.containers[0].securityContext.privileged'), locate(y[0], 'metadata.name'));
