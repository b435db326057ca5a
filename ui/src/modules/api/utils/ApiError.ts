import type { ApiErrorBody, ApiFieldError } from '@/modules/api/types/ApiErrorBody';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: ApiFieldError[];

  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = body.status;
    this.code = body.code;
    this.errors = body.errors ?? [];
  }

  static async fromResponse(response: Response): Promise<ApiError> {
    try {
      const body = (await response.json()) as Partial<ApiErrorBody>;
      return new ApiError({
        status: body.status ?? response.status,
        code: body.code ?? 'error',
        message: body.message ?? response.statusText,
        errors: body.errors ?? [],
      });
    } catch {
      return new ApiError({
        status: response.status,
        code: 'error',
        message: response.statusText || 'The server did not answer as expected.',
        errors: [],
      });
    }
  }
}
