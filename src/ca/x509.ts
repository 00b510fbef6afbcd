// @peculiar/x509, loaded behind the Reflect metadata polyfill: its dependency tsyringe throws at load time without
// one. ES modules evaluate their imports in order, so the polyfill must stay the first import here, and the rest
// of the CA must import the library from this file rather than from the package.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// Node's WebCrypto, explicitly: the library otherwise looks for a global `crypto`.
x509.cryptoProvider.set(webcrypto);

export { x509 };
