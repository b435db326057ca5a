import { Component, type ErrorInfo, type ReactNode } from 'react';

type Props = { area: string; children: ReactNode };
type State = { error: Error | null };

/** One per area: a crash in one panel leaves the rest of the screen working. */
export class ErrorBoundary extends Component<Props, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`${this.props.area} failed`, error, info.componentStack);
  }

  render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div role="alert" className="rounded-md border border-rose-300 bg-rose-50 p-3 text-sm">
        <p className="font-medium text-rose-800">{this.props.area} stopped working.</p>
        <p className="text-rose-700">{this.state.error.message}</p>
        <button
          type="button"
          className="mt-2 rounded border border-rose-400 px-2 py-1 text-rose-800 hover:bg-rose-100"
          onClick={() => this.setState({ error: null })}
        >
          Try again
        </button>
      </div>
    );
  }
}
