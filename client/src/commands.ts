// Ids the client shares with package.json: commands it registers, the walkthrough, the context keys
// of the walkthrough's completion events, the log level setting. Plain constants, so tests can
// compare them with the manifest.

/** Registered by the language client from the server's executeCommandProvider. */
export const ANALYZE_WORKSPACE_COMMAND = 'wix-uac.analyzeWorkspace';
export const ADD_PATCH_CERTIFICATE_COMMAND = 'wix-uac.addPatchCertificate';
export const CHECK_PATCH_COMMAND = 'wix-uac.checkPatch';
export const OPEN_WALKTHROUGH_COMMAND = 'wix-uac.openWalkthrough';
export const SHOW_OUTPUT_COMMAND = 'wix-uac.showOutput';

/** The commands the client itself registers. */
export const CLIENT_COMMANDS = [ADD_PATCH_CERTIFICATE_COMMAND, CHECK_PATCH_COMMAND, OPEN_WALKTHROUGH_COMMAND, SHOW_OUTPUT_COMMAND];

/** `contributes.walkthroughs[].id`. */
export const WALKTHROUGH_ID = 'uacPatching';

/** True once an analysis found files to check. */
export const ANALYZED_CONTEXT = 'wixUac.analyzed';
/** True while some product lists no patch certificate. */
export const MISSING_CERTIFICATES_CONTEXT = 'wixUac.missingPatchCertificates';

export const LOG_LEVEL_SETTING = 'wixUac.server.logLevel';
