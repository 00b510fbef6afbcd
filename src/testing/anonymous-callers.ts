// For protocol tests and benchmarks of the xDS server on its own (no API server to review tokens): every caller is
// taken as anonymous, as a listener that does not authenticate would.
import type { Authenticate } from '../xds/server/authentication.ts';

export const anonymousCallers: Authenticate = () => Promise.resolve({ via: 'anonymous' });
