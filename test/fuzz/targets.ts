// Every fuzz target, in the order `npm run fuzz` runs them.

import { engineTarget } from './engine';
import { idtTarget } from './idt';
import { cfbTarget, msiTarget } from './package';
import { pkcs7Target } from './pkcs7';
import { sdpTarget } from './sdp';
import type { AnyTarget } from './target';
import { wixTarget } from './wix';

export const targets: AnyTarget[] = [wixTarget, idtTarget, cfbTarget, msiTarget, pkcs7Target, sdpTarget, engineTarget];

export function targetNamed(name: string): AnyTarget | undefined {
  return targets.find((target) => target.name === name);
}
