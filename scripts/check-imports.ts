// `npm run check:imports` (part of `make lint`): the import rules of src/ and controllers/. dependency-cruiser checks
// the rules of .dependency-cruiser.js (no file imports a file that imports it back, no production code imports test
// code, ...); this script then checks folder cycles on the same import graph. dependency-cruiser's own folder rules
// (`scope: 'folder'`) count a folder with everything under it, so they never see a cycle between a folder and its
// subfolder; here a folder is one directory, and src/xds importing src/xds/waypoint while src/xds/waypoint imports
// src/xds is a cycle. Every cycle is printed with the imports (file → file) that make it; exits 1 on any violation.
import { dirname } from 'node:path/posix';
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const roots = ['src', 'controllers'];
// The folder rule applies to the files the file-cycle rule applies to (production code, not tests or fixtures).
const fileCycleRule = 'no-cycle';

const options = await extractDepcruiseOptions('./.dependency-cruiser.js');
const tsConfig = extractTSConfig(options.tsConfig?.fileName ?? 'tsconfig.json');
const { output: result } = await cruise(roots, options, {}, { tsConfig });
if (typeof result === 'string') throw new Error('dependency-cruiser returned a report instead of a cruise result');

// The rules of .dependency-cruiser.js, one line per violation: the import, or for a cycle the files around it.
const { violations, error, warn, totalCruised, totalDependenciesCruised } = result.summary;
for (const v of violations) {
  const files = v.cycle ? [v.from, ...v.cycle.map((c) => c.name)] : [v.from, v.to];
  console.log(`  ${v.rule.severity} ${v.rule.name}: ${files.join(' → ')}`);
}
for (const name of new Set(violations.map((v) => v.rule.name))) {
  const rule = options.ruleSet?.forbidden?.find((r) => r.name === name);
  if (rule?.comment) console.log(`  (${name}: ${rule.comment})`);
}
console.log(
  violations.length === 0
    ? `✔ no import rule violations (${totalCruised} modules, ${totalDependenciesCruised} imports).`
    : `x ${error} errors, ${warn} warnings (${totalCruised} modules, ${totalDependenciesCruised} imports).`,
);

const scope = options.ruleSet?.forbidden?.find((r) => r.name === fileCycleRule)?.from;
if (!scope) throw new Error(`.dependency-cruiser.js has no rule named ${fileCycleRule}`);
const patterns = (p: string | string[] | undefined) => [p ?? []].flat().map((s) => new RegExp(s));
const [included, excluded] = [patterns(scope.path), patterns(scope.pathNot)];
// As in dependency-cruiser, a file matches a list of patterns when it matches any of them.
const inScope = (file: string) =>
  (included.length === 0 || included.some((r) => r.test(file))) && !excluded.some((r) => r.test(file));

// Folder → folder it imports → the imports (file → file) behind that edge.
const imports = new Map<string, Map<string, string[]>>();
for (const m of result.modules) {
  if (!inScope(m.source)) continue;
  for (const d of m.dependencies) {
    const [from, to] = [dirname(m.source), dirname(d.resolved)];
    if (from === to || !inScope(d.resolved)) continue;
    const targets = imports.get(from) ?? new Map<string, string[]>();
    imports.set(from, targets);
    targets.set(to, [...(targets.get(to) ?? []), `${m.source} → ${d.resolved}`]);
  }
}
const next = (folder: string) => [...(imports.get(folder)?.keys() ?? [])].sort();

// The shortest import path from one folder to another (both ends included), if any.
function path(from: string, to: string): string[] | undefined {
  const previous = new Map<string, string>([[from, from]]);
  const queue = [from];
  for (let folder = queue.shift(); folder !== undefined; folder = queue.shift()) {
    if (folder === to) {
      const found = [to];
      while (found[0] !== from) found.unshift(previous.get(found[0]!)!);
      return found;
    }
    for (const n of next(folder).filter((n) => !previous.has(n))) {
      previous.set(n, folder);
      queue.push(n);
    }
  }
  return undefined;
}

// An import a → b is in a cycle when b leads back to a. Each such edge is reported once: with the shortest cycle
// through it, unless a cycle reported before already went through it.
const reported = new Set<string>();
const cycles: string[][] = [];
for (const from of [...imports.keys()].sort()) {
  for (const to of next(from)) {
    const back = reported.has(`${from} ${to}`) ? undefined : path(to, from);
    if (!back) continue;
    const cycle = [from, ...back];
    cycle.slice(1).forEach((f, i) => reported.add(`${cycle[i]!} ${f}`));
    cycles.push(cycle);
  }
}

for (const cycle of cycles) {
  console.log(`  error no-folder-cycle: ${cycle.join(' → ')}`);
  cycle.slice(1).forEach((to, i) => {
    for (const line of imports.get(cycle[i]!)!.get(to)!.sort()) console.log(`      ${line}`);
  });
}
if (cycles.length > 0)
  console.log('  (no-folder-cycle: A folder imports a folder that imports it back, a parent and its subfolder too.)');
const folders = new Set([...imports.keys(), ...[...imports.values()].flatMap((t) => [...t.keys()])]);
console.log(
  cycles.length === 0
    ? `✔ no folder cycles (${folders.size} folders).`
    : `x ${cycles.length} folder cycle${cycles.length === 1 ? '' : 's'} (${folders.size} folders).`,
);
process.exitCode = error > 0 || cycles.length > 0 ? 1 : 0;
