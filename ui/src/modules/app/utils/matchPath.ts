/** The parameters of `path` against a pattern such as `/orders/:id`, or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(have[i]);
    else if (want[i] !== have[i]) return null;
  }
  return params;
}

/** Splits a hash route `/qa?status=new` into its path and query. */
export function splitRoute(route: string): { path: string; query: URLSearchParams } {
  const [path, search = ''] = route.split('?', 2);
  return { path: path || '/', query: new URLSearchParams(search) };
}
