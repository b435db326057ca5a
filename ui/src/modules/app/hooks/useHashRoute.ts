import { useCallback, useEffect, useState } from 'react';

function current(): string {
  const path = window.location.hash.replace(/^#/, '');
  return path.startsWith('/') ? path : '/';
}

/**
 * The route lives in the URL hash (`/#/console`): FastAPI serves the built files as they
 * are, so a reload on any screen still loads index.html.
 */
export function useHashRoute(): [string, (path: string) => void] {
  const [path, setPath] = useState(current);
  useEffect(() => {
    const onChange = () => setPath(current());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const navigate = useCallback((to: string) => {
    if (current() !== to) window.location.hash = to;
    setPath(to);
  }, []);
  return [path, navigate];
}
