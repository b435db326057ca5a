import { useEffect, useMemo } from 'react';

import { AppHeader } from '@/modules/app/components/AppHeader';
import { NotFoundPage } from '@/modules/app/components/NotFoundPage';
import { useHashRoute } from '@/modules/app/hooks/useHashRoute';
import { useJobToasts } from '@/modules/app/hooks/useJobToasts';
import { SCREENS } from '@/modules/app/screens';
import { landingFor } from '@/modules/app/utils/landingFor';
import { matchPath, splitRoute } from '@/modules/app/utils/matchPath';
import { SignInPage } from '@/modules/auth/components/SignInPage';
import { useSession } from '@/modules/auth/hooks/useSession';
import { signOut } from '@/modules/auth/utils/signOut';
import { ErrorBoundary } from '@/modules/ui/components/ErrorBoundary';
import { Toaster } from '@/modules/ui/components/Toaster';

export function App() {
  const session = useSession();
  const [route, navigate] = useHashRoute();
  const role = session?.user.role;
  const { path, query } = splitRoute(route);
  const found = useMemo(() => {
    for (const screen of SCREENS) {
      const params = matchPath(screen.path, path);
      if (params && role && screen.roles.includes(role)) return { screen, params };
    }
    return null;
  }, [path, role]);

  useEffect(() => {
    if (role && path === '/') navigate(landingFor(role));
  }, [role, path, navigate]);

  useJobToasts(role);

  if (!session) return <SignInPage onSignedIn={(s) => navigate(landingFor(s.user.role))} />;
  const Screen = found?.screen.component;
  return (
    <div className="min-h-screen bg-slate-100 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
      <AppHeader user={session.user} path={path} onNavigate={navigate} onSignOut={() => void signOut()} />
      <main className="mx-auto max-w-[1440px] p-3">
        <ErrorBoundary area="This screen">
          {Screen && found ? (
            <Screen key={path} user={session.user} params={found.params} query={query} navigate={navigate} />
          ) : path === '/' ? (
            <NotFoundPage message="No screen is open to your role yet; the API is at /docs." />
          ) : (
            <NotFoundPage />
          )}
        </ErrorBoundary>
      </main>
      <Toaster />
    </div>
  );
}
