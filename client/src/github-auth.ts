/**
 * Sign-in with VS Code's built-in GitHub authentication. The session token is handed to the language server
 * through the `actionsWarden/githubToken` notification and nowhere else: never written to settings, never logged.
 */
import * as vscode from 'vscode';
import type { GitHubTokenParams } from '../../shared/src/protocol';

const PROVIDER = 'github';
const SCOPES = ['repo'];
/** globalState key: the user chose to sign in, so a later activation may reuse the session silently. */
const OPTED_IN = 'actionsWarden.github.signedIn';

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
  ) {
    this.subscription = vscode.authentication.onDidChangeSessions((event) => {
      if (event.provider.id === PROVIDER && this.state.get<boolean>(OPTED_IN)) void this.signIn(false);
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

  /** Reuses an existing session silently at startup, if the user signed in before. */
  async restore(): Promise<void> {
    if (this.state.get<boolean>(OPTED_IN)) await this.signIn(false);
  }

  /** `interactive`: may show VS Code's sign-in flow. Returns whether a session is now in use. */
  async signIn(interactive: boolean): Promise<boolean> {
    let session: vscode.AuthenticationSession | undefined;
    try {
      session = await vscode.authentication.getSession(PROVIDER, SCOPES, interactive ? { createIfNone: true } : { silent: true });
    } catch (error) {
      this.log.warn(`GitHub sign-in did not complete: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
    if (!session) {
      if (interactive) this.log.info('GitHub sign-in cancelled.');
      return false;
    }
    await this.state.update(OPTED_IN, true);
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

  /** Sends the current token again, e.g. after the server restarted. */
  async resend(): Promise<void> {
    if (this.token) await this.send({ token: this.token, account: this.account });
  }

  /** Installs a token as if it came from a session (the end-to-end tests use this to prove it never reaches the log). */
  async use(token: string, account: string): Promise<void> {
    this.token = token;
    this.account = account;
    await this.send({ token, account });
    this.changed.fire();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
