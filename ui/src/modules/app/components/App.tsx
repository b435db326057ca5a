import { useEffect } from 'react';

import { AppHeader } from '@/modules/app/components/AppHeader';
import { useHashRoute } from '@/modules/app/hooks/useHashRoute';
import { SignInPage } from '@/modules/auth/components/SignInPage';
import { useSession } from '@/modules/auth/hooks/useSession';
import { landingFor } from '@/modules/auth/utils/landingFor';
import { signOut } from '@/modules/auth/utils/signOut';
import { ConsolePage } from '@/modules/console/components/ConsolePage';
import { MonitorPage } from '@/modules/monitor/components/MonitorPage';
import { ErrorBoundary } from '@/modules/ui/components/ErrorBoundary';

const SCREENS: Record<string, string[]> = {
  '/console': ['agent'],
  '/monitor': ['admin', 'campaign_manager'],
};

export function App() {
  const session = useSession();
  const [path, navigate] = useHashRoute();
  const role = session?.user.role;
  const allowed = role !== undefined && (SCREENS[path]?.includes(role) ?? false);

  useEffect(() => {
    if (role && !allowed) navigate(landingFor(role));
  }, [role, allowed, navigate]);

  if (!session) return <SignInPage onSignedIn={(s) => navigate(landingFor(s.user.role))} />;
  return (
    <div className="min-h-screen bg-slate-100">
      <AppHeader user={session.user} path={path} onNavigate={navigate} onSignOut={() => void signOut()} />
      <main className="mx-auto max-w-[1440px] p-3">
        <ErrorBoundary area="This screen">
          {allowed && path === '/console' ? <ConsolePage user={session.user} /> : null}
          {allowed && path === '/monitor' ? <MonitorPage /> : null}
          {!allowed && landingFor(session.user.role) === '/unavailable' ? (
            <p className="rounded-lg bg-white p-6 shadow-sm">
              The screens for your role are not built yet; the API is at <a className="underline" href="/docs">/docs</a>.
            </p>
          ) : null}
        </ErrorBoundary>
      </main>
    </div>
  );
}
