import { run } from '../lib/cli/main';
run(['check', process.argv[2], '--format', process.argv[3] ?? 'text'], { stdout: () => undefined, stderr: () => undefined, readStdin: async () => Buffer.alloc(0), cwd: '/tmp' }).then(c => console.log('exit', c));
