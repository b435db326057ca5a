import { useMemo, useRef, useState } from 'react';

import type { User } from '@/modules/auth/types/Session';
import { CallbackDialog } from '@/modules/console/components/CallbackDialog';
import { CampaignLogin } from '@/modules/console/components/CampaignLogin';
import { DispositionPanel } from '@/modules/console/components/DispositionPanel';
import { DncDialog } from '@/modules/console/components/DncDialog';
import { HelpOverlay } from '@/modules/console/components/HelpOverlay';
import { CONSOLE_SHORTCUTS } from '@/modules/console/utils/shortcuts';
import { NotesPanel } from '@/modules/console/components/NotesPanel';
import { PauseDialog } from '@/modules/console/components/PauseDialog';
import { QualificationForm } from '@/modules/console/components/QualificationForm';
import { ScreenPopPanel } from '@/modules/console/components/ScreenPopPanel';
import { ScriptPanel } from '@/modules/console/components/ScriptPanel';
import { StatusBar } from '@/modules/console/components/StatusBar';
import { type DispositionRequest, useAgentConsole } from '@/modules/console/hooks/useAgentConsole';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { useCallDraft } from '@/modules/console/hooks/useCallDraft';
import { useConsoleShortcuts } from '@/modules/console/hooks/useConsoleShortcuts';
import type { AgentDay } from '@/modules/console/types/AgentDay';
import type { CampaignSummary, Page } from '@/modules/console/types/CampaignSummary';
import type { ConsoleKit, DispositionOption } from '@/modules/console/types/ConsoleKit';
import type { ScreenPop } from '@/modules/console/types/ScreenPop';
import { localMidnight } from '@/modules/console/utils/localMidnight';
import { planDisposition } from '@/modules/console/utils/planDisposition';
import { cleanAnswers } from '@/modules/console/utils/validateAnswers';
import { StreamBadge } from '@/modules/live/components/StreamBadge';
import { SoftphonePanel } from '@/modules/softphone/components/SoftphonePanel';
import { useAudioBridge } from '@/modules/softphone/hooks/useAudioBridge';
import { useMicrophone } from '@/modules/softphone/hooks/useMicrophone';
import { ErrorBoundary } from '@/modules/ui/components/ErrorBoundary';
import { useNow } from '@/modules/ui/hooks/useNow';

type DialogName = 'pause' | 'help' | 'callback' | 'dnc' | null;

const CALL_STATUS: Record<string, string> = {
  dialing: 'Dialing…',
  answered: 'Connected',
  ended: 'Call ended: choose a disposition',
};

const WAITING: Record<string, string> = {
  ready: 'Waiting for the next call…',
  reserved: 'A call is being placed for you…',
  ringing: 'Dialing…',
  paused: 'Paused. Press R when you are ready for calls.',
};

/** The agent's one screen: status, softphone, screen pop, script, form, dispositions, notes. */
export function ConsolePage({ user }: { user: User }) {
  const agentConsole = useAgentConsole();
  const { agent, call } = agentConsole;
  const now = useNow(250);
  const microphone = useMicrophone();
  const bridge = useAudioBridge(microphone.stream);
  const toggleMute = () => {
    bridge.setMuted(!microphone.muted);
    microphone.toggleMute();
  };
  const [dialog, setDialog] = useState<DialogName>(null);
  const [pending, setPending] = useState<DispositionOption | null>(null);
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});
  const [formMessage, setFormMessage] = useState<string | null>(null);
  const [todayVersion, setTodayVersion] = useState(0);
  const notesRef = useRef<HTMLTextAreaElement>(null);

  const kitCampaign = call?.campaignId ?? agent?.reserved_for ?? agent?.campaigns[0] ?? null;
  const kit = useApiResource<ConsoleKit>(kitCampaign ? `/campaigns/${kitCampaign}/console-kit` : null);
  const pop = useApiResource<ScreenPop>(call ? `/calls/${call.id}/screen-pop` : null);
  const today = useApiResource<AgentDay>(
    `/console/today?since=${encodeURIComponent(localMidnight())}`,
    todayVersion,
  );
  const campaigns = useApiResource<Page<CampaignSummary>>('/campaigns?kind=call&limit=200');
  const { draft, setNotes, setAnswer, discard } = useCallDraft(call?.id ?? null);

  const campaignNames = useMemo(() => {
    const names = new Map((campaigns.data?.items ?? []).map((c) => [c.id, c.name]));
    return (agent?.campaigns ?? []).map((id) => names.get(id) ?? `Campaign ${id}`);
  }, [agent?.campaigns, campaigns.data]);

  const questions = kit.data?.questions ?? [];
  const dispositions = kit.data?.dispositions ?? [];
  const inWrapUp = agent?.state === 'wrap_up' && call !== null;

  const send = async (disposition: DispositionOption, extra: Partial<DispositionRequest> = {}) => {
    const request: DispositionRequest = {
      code: disposition.code,
      answers: cleanAnswers(questions, draft.answers),
      notes: draft.notes.trim() ? draft.notes : null,
      ...extra,
    };
    const result = await agentConsole.dispose(request);
    if (result) {
      discard();
      setFormErrors({});
      setFormMessage(null);
      setDialog(null);
      setPending(null);
      setTodayVersion((v) => v + 1);
    }
  };

  const choose = (disposition: DispositionOption) => {
    if (!inWrapUp) return;
    const plan = planDisposition(disposition, questions, draft.answers);
    switch (plan.kind) {
      case 'invalid': {
        setFormErrors(plan.errors);
        setFormMessage(`Answer the required questions before choosing “${disposition.label}”.`);
        const first = Object.keys(plan.errors)[0];
        document.getElementById(`q-${first}`)?.focus();
        return;
      }
      case 'schedule-callback':
        setPending(disposition);
        setDialog('callback');
        return;
      case 'confirm-dnc':
        setPending(disposition);
        setDialog('dnc');
        return;
      default:
        setFormErrors({});
        setFormMessage(null);
        void send(disposition);
    }
  };

  const shortcuts: Record<string, () => void> = {
    r: () => agent?.state === 'paused' && void agentConsole.ready(),
    p: () => agent && !['offline', 'paused'].includes(agent.state) && setDialog('pause'),
    h: () => agent?.state === 'on_call' && void agentConsole.hangup(),
    n: () => notesRef.current?.focus(),
    q: () => questions[0] && document.getElementById(`q-${questions[0].key}`)?.focus(),
    m: toggleMute,
    o: () => agent?.state === 'on_call' && bridge.status === 'connected' && void bridge.toggleHold(),
    '?': () => setDialog('help'),
  };
  for (const disposition of dispositions) {
    if (disposition.shortcut) shortcuts[disposition.shortcut] = () => choose(disposition);
  }
  useConsoleShortcuts(shortcuts, dialog === null);

  // Server-side answer errors (answers.budget …) land on the form.
  const serverErrors = useMemo(() => {
    const errors: Record<string, string> = {};
    for (const item of agentConsole.error?.errors ?? []) {
      if (item.field.startsWith('answers.')) errors[item.field.slice(8)] = item.message;
    }
    return errors;
  }, [agentConsole.error]);

  const scriptContext = {
    contact: pop.data?.contact ?? {},
    account: pop.data?.account ?? {},
    agent: { first_name: user.full_name.split(' ')[0], full_name: user.full_name },
    campaign: { name: kit.data?.name, topic: kit.data?.topic },
  };
  const calleeZone = pop.data?.callee_times[0]?.zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;

  return (
    <div className="space-y-3">
      <div className="flex items-center gap-3">
        <h1 className="text-lg font-semibold">Agent console</h1>
        <StreamBadge status={agentConsole.stream} />
        <button
          type="button"
          onClick={() => setDialog('help')}
          className="ml-auto text-sm text-sky-800 underline"
          aria-keyshortcuts="?"
        >
          Shortcuts <kbd className="font-mono">?</kbd>
        </button>
      </div>
      {agentConsole.error && agentConsole.error.code !== 'validation_error' ? (
        <div role="alert" className="flex items-center justify-between rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-900">
          {agentConsole.error.message}
          <button type="button" onClick={agentConsole.clearError} className="underline">
            Dismiss
          </button>
        </div>
      ) : null}
      {!agent ? <p className="text-sm text-slate-600">Loading your console…</p> : null}
      {agent?.state === 'offline' ? (
        <CampaignLogin busy={agentConsole.busy} onLogin={(ids) => void agentConsole.login(ids)} />
      ) : null}
      {agent && agent.state !== 'offline' ? (
        <>
          <StatusBar
            console={agentConsole}
            now={now}
            campaignNames={campaignNames}
            today={today.data}
            onPause={() => setDialog('pause')}
          />
          <div className="grid grid-cols-1 gap-3 lg:grid-cols-[minmax(0,1fr)_minmax(0,1.35fr)_minmax(0,1fr)]">
            <div className="space-y-3">
              <ErrorBoundary area="The screen pop">
                {call ? (
                  <p data-testid="call-status" data-status={call.status} className="rounded-md bg-indigo-50 px-3 py-1.5 text-sm font-medium text-indigo-900">
                    {CALL_STATUS[call.status]}
                  </p>
                ) : null}
                {call && pop.data ? <ScreenPopPanel pop={pop.data} /> : null}
                {call && pop.error ? <p role="alert" className="text-sm text-rose-700">{pop.error.message}</p> : null}
                {!call ? (
                  <div data-testid="waiting" className="rounded-lg bg-white p-6 text-center text-slate-600 shadow-sm">
                    {WAITING[agent.state] ?? ''}
                  </div>
                ) : null}
              </ErrorBoundary>
            </div>
            <div className="space-y-3">
              <ErrorBoundary area="The script">
                {kit.data ? <ScriptPanel script={kit.data.script} context={scriptContext} /> : null}
              </ErrorBoundary>
              <ErrorBoundary area="The qualification form">
                {formMessage ? (
                  <p role="alert" className="rounded-md bg-amber-50 px-3 py-1.5 text-sm text-amber-900">
                    {formMessage}
                  </p>
                ) : null}
                <QualificationForm
                  questions={questions}
                  answers={draft.answers}
                  errors={{ ...serverErrors, ...formErrors }}
                  onAnswer={(key, value) => {
                    setAnswer(key, value);
                    setFormErrors(({ [key]: _gone, ...rest }) => rest);
                  }}
                  disabled={!call}
                />
              </ErrorBoundary>
            </div>
            <div className="space-y-3">
              <ErrorBoundary area="The dispositions">
                <DispositionPanel
                  dispositions={dispositions}
                  enabled={inWrapUp}
                  busy={agentConsole.busy}
                  wrapUpDeadline={agentConsole.wrapUpDeadline}
                  now={now}
                  onChoose={choose}
                />
              </ErrorBoundary>
              <NotesPanel ref={notesRef} value={draft.notes} onChange={setNotes} disabled={!call} />
              <ErrorBoundary area="The softphone">
                <SoftphonePanel
                  microphone={microphone}
                  bridge={bridge}
                  onCall={agent?.state === 'on_call'}
                  onToggleMute={toggleMute}
                />
              </ErrorBoundary>
            </div>
          </div>
        </>
      ) : null}
      {dialog === 'pause' ? (
        <PauseDialog
          onClose={() => setDialog(null)}
          onPick={(reason) => {
            setDialog(null);
            void agentConsole.pause(reason);
          }}
        />
      ) : null}
      {dialog === 'help' ? (
        <HelpOverlay
          shortcuts={CONSOLE_SHORTCUTS}
          note="Shortcuts are off while you type in a field; press Esc to leave it."
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog === 'callback' && pending ? (
        <CallbackDialog
          zone={calleeZone}
          error={agentConsole.error?.errors.find((e) => e.field === 'callback_at')?.message ?? null}
          onClose={() => setDialog(null)}
          onSchedule={(callbackAt, to) => void send(pending, { callback_at: callbackAt, callback_to: to })}
        />
      ) : null}
      {dialog === 'dnc' && pending ? (
        <DncDialog
          phone={pop.data?.phone_e164 ?? 'This number'}
          onClose={() => setDialog(null)}
          onConfirm={() => void send(pending)}
        />
      ) : null}
    </div>
  );
}
