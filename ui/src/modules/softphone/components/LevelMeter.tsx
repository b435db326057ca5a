export function LevelMeter({ level, label, testId = 'input-level' }: { level: number; label: string; testId?: string }) {
  const percent = Math.round(level * 100);
  return (
    <div
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      data-testid={testId}
      className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <div
        className={`h-full transition-[width] duration-75 ${percent > 85 ? 'bg-rose-500' : 'bg-emerald-500'}`}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}
