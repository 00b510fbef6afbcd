// Istio writes log levels per scope ("default:info", "ads:debug,all:warn"); Ambit logs through one winston logger.

const winstonLevels = new Map([
  ['none', 'error'],
  ['fatal', 'error'],
  ['error', 'error'],
  ['warn', 'warn'],
  ['info', 'info'],
  ['debug', 'debug'],
]);

/** The level of Istio's `all` or `default` scope (or a bare level), as winston names it; info when there is none. */
export function ambitLogLevel(istioLevel: string | undefined): string {
  const scopes = new Map<string, string>();
  for (const part of (istioLevel ?? '').split(',')) {
    const [scope, level] = part.includes(':') ? part.split(':', 2) : ['all', part];
    if (scope && level) scopes.set(scope.trim(), level.trim());
  }
  return winstonLevels.get(scopes.get('all') ?? scopes.get('default') ?? 'info') ?? 'info';
}
