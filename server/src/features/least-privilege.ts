/**
 * The "add least-privilege permissions" command: applies the excessive-permissions fix the file's findings
 * already carry (the first finding with a fix: its preferred fix, else its first), as one workspace edit.
 */
import { ServerCommands, type AddPermissionsResult } from '../../../shared/src/protocol';
import type { Analysis } from '../document-cache';
import { excessivePermissions } from '../rules/excessive-permissions';
import type { Fix } from '../findings';
import { toTextEdits } from './code-action-filters';
import { showMessage, type Feature } from './feature';

/** The fix the command applies: on the first excessive-permissions finding with a fix, its preferred fix, else its first. */
export function leastPrivilegeFix(analysis: Analysis): Fix | null {
  for (const finding of analysis.findings) {
    if (finding.ruleId !== excessivePermissions.id || finding.fixes.length === 0) continue;
    return finding.fixes.find((fix) => fix.isPreferred) ?? finding.fixes[0];
  }
  return null;
}

export const leastPrivilegeFeature: Feature = {
  register(connection, context) {
    const addPermissions = async (args: readonly unknown[] | undefined): Promise<AddPermissionsResult> => {
      const uri = args?.[0];
      const analysis = typeof uri === 'string' ? context.currentAnalysis(uri) : null;
      const fix = analysis ? leastPrivilegeFix(analysis) : null;
      if (!analysis || !fix) {
        showMessage(connection, 'info', 'Actions Warden: no permissions change to make in this file.');
        return { applied: false };
      }
      const edit = { changes: { [analysis.uri]: toTextEdits(analysis.file, fix.edits) } };
      const { applied } = await connection.workspace.applyEdit({ label: fix.title, edit });
      return { applied, title: fix.title };
    };
    return { commands: { [ServerCommands.addLeastPrivilegePermissions.id]: addPermissions } };
  },
};
