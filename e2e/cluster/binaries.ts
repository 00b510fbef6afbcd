// Finds (building on first use) the cluster binaries in the versioned cache; see build-binaries.sh.
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const script = fileURLToPath(new URL('./build-binaries.sh', import.meta.url));

export async function ensureBinaries(): Promise<string> {
  // The build's progress goes to stderr; the last stdout line is the binary folder.
  const { stdout } = await execa('bash', [script], { stderr: 'inherit' });
  const binDir = stdout.trim().split('\n').pop();
  if (!binDir) throw new Error(`${script} printed no binary folder`);
  return binDir;
}
