#!/usr/bin/env node
// `ambit <command>`: the one binary of the operator and the control plane.
import { UsageError } from './cli/address.ts';
import { version } from './cli/version.ts';
import { runControlPlane } from './control-plane/command.ts';
import { runOperator } from './operator/command.ts';

const usage = `Usage: ambit <command> [flags]

Commands:
  operator       run the operator (ambit operator --help for its flags)
  control-plane  run the ambient control plane of one revision (ambit control-plane --help)
  version      print the version
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'operator':
      await runOperator(rest, process.env);
      return -1;
    case 'control-plane':
      await runControlPlane(rest, process.env);
      return -1;
    case 'version':
    case '--version':
      console.log(version);
      return 0;
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(usage);
      return 0;
    default:
      process.stderr.write(`ambit: unknown command "${command}"\n\n${usage}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    const usageError = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`ambit: ${(err as Error).message}${usageError ? '\nRun with --help for the flags.' : ''}\n`);
    process.exit(usageError ? 2 : 1);
  },
);
