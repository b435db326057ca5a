import { GlobalSearch } from '@/modules/app/components/GlobalSearch';
import { useTheme } from '@/modules/app/hooks/useTheme';
import { SCREENS } from '@/modules/app/screens';
import type { User } from '@/modules/auth/types/Session';

const ROLE_LABEL: Record<string, string> = {
  admin: 'Admin',
  campaign_manager: 'Campaign manager',
  data_ops: 'Data ops',
  qa_analyst: 'QA analyst',
  agent: 'Agent',
  client_user: 'Client',
};

type Props = { user: User; path: string; onNavigate: (path: string) => void; onSignOut: () => void };

const THEME_LABEL = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

export function AppHeader({ user, path, onNavigate, onSignOut }: Props) {
  const [theme, cycleTheme] = useTheme();
  const links = SCREENS.filter((screen) => screen.label && screen.roles.includes(user.role)).map((screen) => ({
    to: screen.path,
    label: screen.label ?? screen.path,
  }));
  return (
    <header className="flex flex-wrap items-center gap-x-4 gap-y-1 bg-slate-900 px-4 py-2 text-slate-100">
      <span className="text-lg font-semibold text-sky-300">Pivotal</span>
      <nav aria-label="Main" className="flex flex-wrap gap-1">
        {links.map((link) => (
          <a
            key={link.to}
            href={`#${link.to}`}
            aria-current={path === link.to || path.startsWith(`${link.to}/`) ? 'page' : undefined}
            onClick={(event) => {
              event.preventDefault();
              onNavigate(link.to);
            }}
            className="rounded px-2 py-1 text-sm hover:bg-slate-700 aria-[current=page]:bg-slate-700"
          >
            {link.label}
          </a>
        ))}
      </nav>
      <div className="ml-auto">{user.role === 'agent' ? null : <GlobalSearch role={user.role} onNavigate={onNavigate} />}</div>
      <button type="button" onClick={cycleTheme} className="rounded border border-slate-600 px-2 py-1 text-xs hover:bg-slate-800">
        {THEME_LABEL[theme]}
      </button>
      <span className="text-sm text-slate-300" data-testid="signed-in-user">
        {user.full_name} · {ROLE_LABEL[user.role] ?? user.role}
      </span>
      <button type="button" onClick={onSignOut} className="rounded border border-slate-600 px-2 py-1 text-sm hover:bg-slate-800">
        Sign out
      </button>
    </header>
  );
}
