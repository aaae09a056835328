import { listPage } from './list-page.js';
import { watchPage } from './watch-page.js';

/** One page app: `/watch/:app/:stream` is the player, anything else the stream list. */
function route(): void {
  const root = document.getElementById('app');
  if (!root) return;
  const m = /^\/watch\/([^/]+)\/([^/]+)\/?$/.exec(location.pathname);
  if (m) {
    let app: string;
    let stream: string;
    try {
      app = decodeURIComponent(m[1]!);
      stream = decodeURIComponent(m[2]!);
    } catch {
      listPage(root);
      return;
    }
    watchPage(root, app, stream);
  } else listPage(root);
}

route();
