/**
 * Online status: the GitHub sign-in token the extension sends (the only way a token reaches the server
 * from the client), and the status the online controller reports (sent by the context once the client
 * is initialised, see context.ts).
 */
import { GitHubTokenNotification } from '../../../shared/src/protocol';
import type { Feature } from './feature';

export const onlineStatusFeature: Feature = {
  register(connection, context) {
    connection.onNotification(GitHubTokenNotification, (params) => {
      const token = typeof params?.token === 'string' ? params.token : null;
      const hosts = {
        serverUrl: typeof params?.serverUrl === 'string' ? params.serverUrl : undefined,
        apiUrl: typeof params?.apiUrl === 'string' ? params.apiUrl : undefined,
      };
      if (context.online.setClientToken(token, hosts)) context.reanalyzeAll();
    });
  },
};
