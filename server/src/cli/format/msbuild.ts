// MSBuild's canonical message format, `file(line,col): warning rule-id: message`, so an Exec task,
// Visual Studio's error list and VS Code problem matchers pick the findings up. MSBuild itself
// recognises only `error` and `warning`; information and hints are printed as `info`, which MSBuild
// passes through as plain output and VS Code's $msCompile matcher reads. $msCompile expects codes
// like CS1234 and skips kebab-case rule ids; the extension's $wix-uac matcher reads them.
import type { Severity } from '../../engine/types';
import { findingsByFile, singleLine, type Formatter } from './report';

// English tokens in every language: MSBuild, Visual Studio and the problem matchers read them.
const CATEGORY: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'info', hint: 'info' };

export const formatMsbuild: Formatter = (report) =>
  findingsByFile(report)
    .flatMap(([file, findings]) =>
      findings.map(({ range, severity, ruleId, message }) =>
        // Absolute paths, as MSBuild prints them: the output does not depend on the working folder.
        `${file}(${range.start.line + 1},${range.start.character + 1}): ${CATEGORY[severity]} ${ruleId}: ${singleLine(message)}\n`,
      ),
    )
    .join('');
