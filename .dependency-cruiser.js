// The import rules `make lint` checks (npm run check:imports: scripts/check-imports.ts runs dependency-cruiser with
// this configuration, then adds the folder cycles). `npx depcruise src controllers` checks the module rules alone.

// Test code: unit tests, the shared fixtures in src/testing, testdata/ folders and the e2e suite with its harness.
const test = ['\\.test\\.ts$', '^src/testing/', '(^|/)testdata/', '^e2e/'];
const production = { path: '^(src|controllers)/', pathNot: test };

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'A file imports a file that imports it back (type-only imports count too).',
      from: production,
      to: { circular: true },
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      comment: 'Production code imports test code: a *.test.ts, src/testing/, a testdata/ folder or e2e/.',
      from: production,
      to: { path: test },
    },
    {
      name: 'controllers-only-from-the-processes',
      severity: 'error',
      comment:
        'Only the processes that wire the controllers (src/operator, src/control-plane) import controllers/: ' +
        'the rest of src/ is what the controllers use.',
      from: { path: '^src/', pathNot: ['^src/(operator|control-plane)/', ...test] },
      to: { path: '^controllers/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import dependency-cruiser cannot resolve: its edges would be missing from the checks above.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: '^dist/' },
    // Type-only imports are dependencies too: `import type` keeps the files coupled.
    tsPreCompilationDeps: true,
    // Imports name the .ts file (allowImportingTsExtensions); the tsconfig gives module resolution (nodenext).
    tsConfig: { fileName: 'tsconfig.json' },
    // node_modules may be a symbolic link (git worktrees share one): keep its paths under node_modules/.
    preserveSymlinks: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.js', '.json', '.d.ts'],
    },
  },
};
