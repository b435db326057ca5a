/** An order list's server parameters (`status`, `q`, `sort`): only the ones set. */
export function orderListQuery(values: Record<string, string>): URLSearchParams {
  return new URLSearchParams(Object.entries(values).filter(([, v]) => v));
}
