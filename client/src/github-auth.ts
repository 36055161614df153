/**
 * Sign-in with VS Code's built-in GitHub authentication. The session token is handed to the language server
 * through the `actionsWarden/githubToken` notification and nowhere else: never written to settings, never logged.
 * The scope is the narrowest that works: none for public repositories, `repo` only when the user chooses to
 * include private ones. Nothing is sent in Restricted Mode, and the token goes only to public GitHub or to
 * hosts set in user settings (host-policy.ts decides).
 */
import * as vscode from 'vscode';
import type { GitHubTokenParams } from '../../shared/src/protocol';
import { signInScopes, signInTokenParams, storedAccess, type SignInAccess, type UserGitHub } from './host-policy';

const PROVIDER = 'github';
/** globalState key: the user chose to sign in, so a later activation may reuse the session silently. */
const OPTED_IN = 'actionsWarden.github.signedIn';
/** globalState key: the access chosen at sign-in (`public` or `private`). */
const ACCESS = 'actionsWarden.github.access';

export class GitHubAuth implements vscode.Disposable {
  private token: string | undefined;
  private account: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
    private readonly send: (params: GitHubTokenParams) => Promise<void>,
    private readonly user: () => UserGitHub,
    private readonly trusted: () => boolean,
  ) {
    this.subscription = vscode.authentication.onDidChangeSessions((event) => {
      if (event.provider.id === PROVIDER && this.state.get<boolean>(OPTED_IN) && this.trusted()) void this.signIn(false);
    });
  }

  get signedIn(): boolean {
    return this.token !== undefined;
  }
  get accountLabel(): string | undefined {
    return this.account;
  }
  /** For the output channel's redaction only. */
  secrets(): string[] {
    return this.token ? [this.token] : [];
  }

  /** Reuses an existing session silently at startup, if the user signed in before and trusts this workspace. */
  async restore(): Promise<void> {
    if (!this.state.get<boolean>(OPTED_IN) || !this.trusted()) return;
    if (this.state.get(ACCESS) === undefined) {
      // An earlier version asked for the `repo` scope without asking: reuse only a no-scope session.
      this.log.info(
        'GitHub sign-in now asks which repositories it may read: run "Sign in to GitHub" again to include private repositories.',
      );
    }
    await this.signIn(false);
  }

  /**
   * `interactive`: asks which repositories the sign-in may read, then may show VS Code's sign-in flow.
   * Returns whether a session is now in use. Refused in Restricted Mode.
   */
  async signIn(interactive: boolean): Promise<boolean> {
    if (!this.trusted()) {
      this.log.info(
        'GitHub sign-in is not used in Restricted Mode: trust this workspace to use it. Online checks are anonymous meanwhile.',
      );
      if (interactive)
        void vscode.window.showInformationMessage(
          'Actions Warden: GitHub sign-in is not used in Restricted Mode. Trust the workspace first.',
        );
      return false;
    }
    let access = storedAccess(this.state.get(ACCESS));
    if (interactive) {
      const picked = await vscode.window.showQuickPick(
        [
          { label: 'Public repositories only', description: 'no scope: reads public data only', access: 'public' as SignInAccess },
          {
            label: 'Include private repositories',
            description: 'the `repo` scope: read and write access to all your repositories',
            access: 'private' as SignInAccess,
          },
        ],
        { placeHolder: 'Which actions should Actions Warden resolve with your GitHub account?' },
      );
      if (!picked) return false;
      access = picked.access;
    }
    let session: vscode.AuthenticationSession | undefined;
    try {
      session = await vscode.authentication.getSession(
        PROVIDER,
        signInScopes(access),
        interactive ? { createIfNone: true } : { silent: true },
      );
    } catch (error) {
      this.log.warn(`GitHub sign-in did not complete: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
    if (!session) {
      if (interactive) this.log.info('GitHub sign-in cancelled.');
      return false;
    }
    await this.state.update(OPTED_IN, true);
    await this.state.update(ACCESS, access);
    await this.use(session.accessToken, session.account.label);
    this.log.info(`Signed in to GitHub as ${session.account.label}; online checks use this account's rate limit.`);
    return true;
  }

  /** Stops using the session (VS Code keeps it for other extensions). */
  async signOut(): Promise<void> {
    await this.state.update(OPTED_IN, false);
    const had = this.token !== undefined;
    this.token = undefined;
    this.account = undefined;
    await this.send({ token: null });
    this.changed.fire();
    if (had) this.log.info('Signed out of GitHub: online checks are anonymous again.');
  }

  /** Sends the current token again (after the server restarted, or the hosts or the workspace trust changed). */
  async resend(): Promise<void> {
    if (this.token) await this.send(signInTokenParams(this.token, this.account, this.user(), this.trusted()));
  }

  /** Installs a token as if it came from a session (the end-to-end tests use this to prove it never reaches the log). */
  async use(token: string, account: string): Promise<void> {
    this.token = token;
    this.account = account;
    await this.send(signInTokenParams(token, account, this.user(), this.trusted()));
    this.changed.fire();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
