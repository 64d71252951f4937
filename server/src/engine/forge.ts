// The parts of node-forge the engine uses: ASN.1 (DER), PEM and the byte utilities they need.
// Not the whole library (TLS, ciphers, key generation, PKCS#12…): every run of the CLI loads its
// bundle, and setting all of node-forge up was a third of the CLI's start-up (docs/benchmarks.md).
// The modules register themselves on the shared `forge` object, as node-forge's own index does.
import type Forge from 'node-forge';

/* eslint-disable @typescript-eslint/no-require-imports */
const forge = require('node-forge/lib/forge') as typeof Forge;
require('node-forge/lib/asn1');
require('node-forge/lib/pem');

export default forge;
